using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Ledger.Evidence;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// Plays the operator, who holds the ledger key: after editing a bundle's files it renders the report again, lists
/// every file's new hash in the manifest and signs the manifest, so that only the rule under test can catch the edit.
/// </summary>
public static class OperatorKeys
{
    public static Dictionary<string, byte[]> Resign(ApiServer api, Dictionary<string, byte[]> files, bool renderReport = true)
    {
        var edited = new Dictionary<string, byte[]>(files);
        if (renderReport && BundleVerifier.RenderReport(edited) is { } report)
        {
            edited[BundleFormat.ReportMarkdown] = System.Text.Encoding.UTF8.GetBytes(report.Markdown);
            edited[BundleFormat.ReportHtml] = System.Text.Encoding.UTF8.GetBytes(report.Html);
        }
        var manifest = JsonNode.Parse(edited[BundleFormat.Manifest])!.AsObject();
        foreach (var f in manifest["files"]!.AsArray())
        {
            var bytes = edited[f!["path"]!.GetValue<string>()];
            f["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
            f["bytes"] = bytes.LongLength;
        }
        var text = manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        edited[BundleFormat.Manifest] = System.Text.Encoding.UTF8.GetBytes(text);
        using var ledger = NoteSigner.Parse(File.ReadAllText(Path.Combine(api.KeyDirectory, "ledger.key")));
        edited[BundleFormat.ManifestSignature] = System.Text.Encoding.UTF8.GetBytes(
            SignedNote.Sign(BundleFormat.SignatureText(manifest["origin"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(edited[BundleFormat.Manifest]))), ledger));
        return edited;
    }
}
