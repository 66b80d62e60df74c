using AssetLedger.Application.Ports;
using AssetLedger.Application.Webhooks;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Integrations;
using NSec.Cryptography;

namespace AssetLedger.Application.Integrations;

/// <summary>
/// Whether an inbound notice is its participant's: Standard Webhooks headers, a timestamp within the tolerance, and a
/// <c>v1</c> HMAC under the participant's secret or a <c>v1a</c> Ed25519 signature under its public key. A participant
/// that signs its commands (an ECDSA key registered) must sign its notices with <c>v1a</c> too: a shared secret would let
/// a notice do, without non-repudiation, what a command of its could only do signed.
/// </summary>
public static class NoticeSignature
{
    public static DomainError? Check(NoticeCredentials? credentials, bool signsItsCommands, string id, string timestamp, string body, string header, DateTimeOffset now)
    {
        if (!NoticeRules.IsWellFormedId(id)) return NoticeRules.IdMissing;
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, null, out var ts) ||
            Math.Abs(now.ToUnixTimeSeconds() - ts) > WebhookSignature.Tolerance.TotalSeconds)
            return NoticeRules.Stale(WebhookSignature.Tolerance);
        if (credentials is null)
            return NoticeRules.SignatureInvalid("The participant the notice names has no notice credentials registered (PUT /api/v1/integrations/notice-credentials).");
        if (credentials.PublicKey is { } published && PublicKeyOf(published) is { } key &&
            WebhookSignature.VerifyV1a((m, s) => SignatureAlgorithm.Ed25519.Verify(key, m, s), id, timestamp, body, header, now))
            return null;
        if (signsItsCommands)
            return NoticeRules.SignatureInvalid("The participant signs its commands, so its notices need a valid v1a (Ed25519) signature under its registered public key.");
        if (credentials.Secret is { } secret && WebhookSignature.VerifyV1(secret, id, timestamp, body, header, now)) return null;
        return NoticeRules.SignatureInvalid("webhook-signature holds no valid v1 (HMAC-SHA256, the registered secret) or v1a (Ed25519, the registered key) " +
            "signature over {webhook-id}.{webhook-timestamp}.{body}.");
    }

    /// <summary>The Ed25519 key of a <c>whpk_</c> + base64 text, or null when it is none.</summary>
    public static PublicKey? PublicKeyOf(string text)
    {
        if (!text.StartsWith(WebhookSignature.PublicKeyPrefix, StringComparison.Ordinal)) return null;
        Span<byte> raw = stackalloc byte[64];
        if (!Convert.TryFromBase64String(text[WebhookSignature.PublicKeyPrefix.Length..], raw, out var n) || n != 32) return null;
        return PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw[..n], KeyBlobFormat.RawPublicKey, out var key) ? key : null;
    }
}
