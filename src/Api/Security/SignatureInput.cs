using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Signatures;

namespace AssetLedger.Api.Security;

/// <summary>
/// The <c>Signature-Input</c> header of a signed asset command: <c>asset=&lt;id&gt;; version=&lt;n&gt;; signed-at=&lt;RFC 3339&gt;</c>,
/// the parts of <see cref="SignedPayload"/> the request does not carry otherwise. The asset must be the one the path
/// names; a registration (<c>POST /api/v1/assets</c>) names the new asset's id, at version 0.
/// </summary>
public sealed record SignatureInput(AssetId Asset, long Version, DateTimeOffset SignedAt, string SignedAtText)
{
    const string Form = "Signature-Input must be \"asset=<asset id>; version=<the version the command expects, 0 to register>; signed-at=<RFC 3339 time>\"";

    public static (SignatureInput? Input, string? Error) Parse(string header, string path)
    {
        if (header.Length == 0) return (null, $"A signed command needs a Signature-Input header: {Form}.");
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || !parts.TryAdd(part[..eq].Trim(), part[(eq + 1)..].Trim())) return (null, $"{Form}.");
        }
        if (parts.Count != 3 || !parts.TryGetValue("asset", out var assetText) || !parts.TryGetValue("version", out var versionText) || !parts.TryGetValue("signed-at", out var at))
            return (null, $"{Form}.");
        if (!AssetId.TryParse(assetText, out var asset) || asset.ToString() != assetText) return (null, $"asset '{assetText}' is not an asset id (32 hex digits).");
        if (!long.TryParse(versionText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            return (null, $"version '{versionText}' is not a non-negative integer.");
        if (SignedPayload.ParseTime(at) is not { } signedAt) return (null, $"signed-at '{at}' is not an RFC 3339 time with an offset (e.g. 2026-12-05T09:00:00Z).");
        var target = SignedRequestMap.AssetOf(path);
        if (target == "")
        {
            if (version != 0) return (null, $"A registration creates asset {asset} at version 0; the signature names version {version}.");
        }
        else if (target != assetText) return (null, $"The signature is for asset {asset}, but the request is {path}.");
        return (new SignatureInput(asset, version, signedAt, at), null);
    }
}
