using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AssetLedger.Ledger.Signatures;

namespace AssetLedger.Api.Tests.Support;

/// <summary>Signs asset commands as a client does (format 2): the headers Signature, Signature-Input and Idempotency-Key.</summary>
public static class Signing
{
    public static string Now(DateTimeOffset? at = null) => (at ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <param name="asset">The asset the command is for; for a registration, the id the new asset is to have.</param>
    /// <param name="version">The version the command expects (0 to register).</param>
    public static (string Name, string Value)[] Headers(ECDsa key, string path, string body, string idempotencyKey, string asset, long version, DateTimeOffset? at = null)
    {
        var signedAt = Now(at);
        var payload = SignedPayload.Build(path, body, idempotencyKey, asset, version, signedAt)!;
        return
        [
            ("Signature", Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(payload), HashAlgorithmName.SHA256))),
            ("Signature-Input", $"asset={asset}; version={version}; signed-at={signedAt}"),
            ("Idempotency-Key", idempotencyKey),
        ];
    }

    public static string NewAssetId() => Guid.CreateVersion7().ToString("N");
}
