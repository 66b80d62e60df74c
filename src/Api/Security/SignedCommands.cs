using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Ledger.Signatures;
using AssetLedger.Api.Problems;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Security;

/// <summary>
/// Non-repudiation for asset commands. A participant that registered an ECDSA P-256 key must sign every asset
/// command: the <c>Signature</c> header carries base64 of an ES256 signature (r‖s, or DER) over the RFC 8785 canonical
/// JSON of <c>{"body": …, "idempotencyKey": …, "method": "POST", "path": "/api/v1/assets/…"}</c>. A verified signature
/// is kept in the events' metadata with the exact payload signed, so anyone can check it offline later.
/// </summary>
public sealed class SignedCommands(RequestDelegate next)
{
    public const string Header = "Signature";
    public const string ItemKey = "assetledger.signature";
    static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task InvokeAsync(HttpContext http, IParticipantDirectory directory)
    {
        var participant = http.User.FindFirstValue(TokenService.ParticipantClaim);
        if (!HttpMethods.IsPost(http.Request.Method) || participant is null || !http.Request.Path.StartsWithSegments("/api/v1/assets"))
        {
            await next(http);
            return;
        }
        var info = await directory.Find(new ParticipantId(participant), http.RequestAborted);
        var header = http.Request.Headers[Header].ToString();
        if (info?.SigningKeySpki is null)
        {
            if (header.Length > 0)
            {
                await Refuse(http, $"{participant} has no signing key registered; register one at POST /api/v1/participants/{participant}/signing-key or drop the Signature header.");
                return;
            }
            await next(http);
            return;
        }
        if (header.Length == 0)
        {
            await Refuse(http, $"{participant} has registered a signing key (id {info.SigningKeyId}), so its commands must carry a Signature header.");
            return;
        }
        byte[] signature;
        try { signature = Convert.FromBase64String(header.Trim()); }
        catch (FormatException) { await Refuse(http, "The Signature header is not base64."); return; }

        http.Request.EnableBuffering();
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8, leaveOpen: true);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        string? payload;
        try { payload = Payload(http.Request.Path, body, http.Request.Headers["Idempotency-Key"].ToString()); }
        catch (CanonicalJsonException e)
        {
            await P.From(RequestErrors.Invalid(e.Field ?? "body", $"The body cannot be signed: {e.Message}")).ExecuteAsync(http);
            return;
        }
        if (payload is null) { await Refuse(http, "The body is not JSON, so it cannot be signed; send a JSON body."); return; }

        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(info.SigningKeySpki), out _);
        if (!Verify(key, Encoding.UTF8.GetBytes(payload), signature))
        {
            await Refuse(http, $"The Signature does not verify with {participant}'s key {info.SigningKeyId} over the canonical JSON of method, path, body and Idempotency-Key.");
            return;
        }
        http.Items[ItemKey] = JsonSerializer.Serialize(new { alg = CommandSignature.Algorithm, keyId = info.SigningKeyId, payload, signature = Convert.ToBase64String(signature) }, Relaxed);
        await next(http);
    }

    /// <summary>The exact bytes a client signs (RFC 8785), or null when the body is not JSON.</summary>
    public static string? Payload(string path, string body, string idempotencyKey)
    {
        JsonNode? parsed = null;
        if (body.Length > 0)
        {
            try { parsed = JsonNode.Parse(body); }
            catch (JsonException) { return null; }
        }
        var envelope = new JsonObject
        {
            ["body"] = parsed,
            ["idempotencyKey"] = idempotencyKey.Length > 0 ? idempotencyKey : null,
            ["method"] = "POST",
            ["path"] = path,
        };
        return Jcs.Canonicalize(envelope.ToJsonString());
    }

    public static bool Verify(ECDsa key, byte[] data, byte[] signature) => CommandSignature.Verify(key, data, signature);

    public static ECDsa? ParsePublicKey(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var key = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal)) key.ImportFromPem(text);
            else key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value) { key.Dispose(); return null; }
            return key;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException) { key.Dispose(); return null; }
    }

    /// <summary>First 16 hex digits of SHA-256 of the key's SubjectPublicKeyInfo.</summary>
    public static string KeyIdOf(ECDsa key) => CommandSignature.KeyIdOf(key);

    static Task Refuse(HttpContext http, string detail) => P.From(AccessErrors.SignatureInvalid(detail)).ExecuteAsync(http);
}
