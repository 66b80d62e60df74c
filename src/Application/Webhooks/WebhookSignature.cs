using System.Security.Cryptography;
using System.Text;

namespace AssetLedger.Application.Webhooks;

/// <summary>
/// Standard Webhooks signatures: the signed content is <c>{webhook-id}.{webhook-timestamp}.{body}</c>; <c>v1</c> is its
/// HMAC-SHA256 under the secret (a <c>whsec_</c>-prefixed base64 key), <c>v1a</c> its Ed25519 signature; the
/// <c>webhook-signature</c> header lists one or more of them, space-separated, each as <c>version,base64</c>.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string PublicKeyPrefix = "whpk_";
    /// <summary>How far a timestamp may be from the receiver's clock (the specification's suggested tolerance).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static byte[] SignedContent(string id, long timestamp, string body) => Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");

    /// <summary><see cref="SignedContent(string, long, string)"/> over a body already in UTF-8, without decoding it.</summary>
    public static byte[] SignedContent(string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[head.Length + body.Length];
        head.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(head.Length));
        return content;
    }

    public static string V1(string secret, string id, long timestamp, string body) => V1(secret, SignedContent(id, timestamp, body));

    /// <summary>The <c>v1</c> entry over content already built (<see cref="SignedContent"/>), so one event's content serves every subscriber.</summary>
    public static string V1(string secret, byte[] signedContent) => "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), signedContent));

    public static string V1a(Func<byte[], byte[]> sign, string id, long timestamp, string body) => V1a(sign, SignedContent(id, timestamp, body));

    public static string V1a(Func<byte[], byte[]> sign, byte[] signedContent) => "v1a," + Convert.ToBase64String(sign(signedContent));

    /// <summary>Whether any <c>v1</c> entry of <paramref name="signatureHeader"/> is the secret's, and the timestamp is fresh.</summary>
    public static bool VerifyV1(string secret, string id, string timestamp, string body, string signatureHeader, DateTimeOffset now)
    {
        if (!Fresh(timestamp, now, out var ts)) return false;
        byte[] key;
        try { key = KeyOf(secret); } catch (FormatException) { return false; }
        var expected = HMACSHA256.HashData(key, SignedContent(id, ts, body));
        return Entries(signatureHeader, "v1").Any(sig => CryptographicOperations.FixedTimeEquals(sig, expected));
    }

    /// <summary>Whether any <c>v1a</c> entry verifies with <paramref name="verify"/> (an Ed25519 public key's check), and the timestamp is fresh.</summary>
    public static bool VerifyV1a(Func<byte[], byte[], bool> verify, string id, string timestamp, string body, string signatureHeader, DateTimeOffset now) =>
        Fresh(timestamp, now, out var ts) && Entries(signatureHeader, "v1a").Any(sig => verify(SignedContent(id, ts, body), sig));

    static bool Fresh(string timestamp, DateTimeOffset now, out long ts) =>
        long.TryParse(timestamp, System.Globalization.NumberStyles.None, null, out ts) &&
        Math.Abs(now.ToUnixTimeSeconds() - ts) <= Tolerance.TotalSeconds;

    static IEnumerable<byte[]> Entries(string header, string version)
    {
        foreach (var entry in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',');
            if (comma < 0 || entry[..comma] != version) continue;
            byte[]? sig = null;
            try { sig = Convert.FromBase64String(entry[(comma + 1)..]); } catch (FormatException) { }
            if (sig is not null) yield return sig;
        }
    }

    static byte[] KeyOf(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
}
