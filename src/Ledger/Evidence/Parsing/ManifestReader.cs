using System.Text.Json;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Ledger.Evidence.Parsing;

/// <summary>
/// Reads <c>manifest.json</c>, the first check: the other checks need its kind, origin, keys and checkpoint, so without
/// both keys (or without a readable manifest) there is nothing more to check.
/// </summary>
static class ManifestReader
{
    public const string CheckName = "manifest";

    public static (VerificationCheck Check, BundleManifest? Manifest) Read(IReadOnlyDictionary<string, byte[]> files)
    {
        var failures = new List<string>();
        var text = ParsedBundle.Text(files, BundleFormat.Manifest);
        if (text is null) return (VerificationCheck.From(CheckName, [$"{BundleFormat.Manifest} is missing"], ""), null);
        string kind, origin;
        string? assetStream = null;
        long rangeFrom = 0, rangeTo = 0, treeSize;
        var formatVersion = BundleFormat.Version;
        string checkpointFile;
        string? generatedAt = null;
        NoteVerifier? ledgerKey, anchorKey;
        var listed = new List<ListedFile>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            var m = doc.RootElement;
            formatVersion = m.GetProperty("formatVersion").GetInt32();
            if (formatVersion is < BundleFormat.FirstVersion or > BundleFormat.Version)
                failures.Add($"{BundleFormat.Manifest}: formatVersion {formatVersion} is not one of {BundleFormat.FirstVersion}–{BundleFormat.Version}");
            kind = m.GetProperty("kind").GetString() ?? "";
            if (m.TryGetProperty("generatedAt", out var g) && g.ValueKind == JsonValueKind.String) generatedAt = g.GetString();
            origin = m.GetProperty("origin").GetString() ?? "";
            var keys = m.GetProperty("keys");
            ledgerKey = ParseKey(keys.GetProperty("ledger").GetString(), "keys.ledger", failures);
            anchorKey = ParseKey(keys.GetProperty("anchor").GetString(), "keys.anchor", failures);
            if (ledgerKey is not null && ledgerKey.Name != origin) failures.Add($"{BundleFormat.Manifest}: the ledger key is named {ledgerKey.Name}, not the origin {origin}");
            if (kind == "asset")
            {
                var asset = m.GetProperty("asset");
                assetStream = asset.GetProperty("streamId").GetString();
                if (!Guid.TryParse(asset.GetProperty("id").GetString(), out var id) || assetStream != $"asset-{id:N}")
                    failures.Add($"{BundleFormat.Manifest}: asset id and stream id do not agree");
            }
            else if (kind == "ledger")
            {
                var range = m.GetProperty("range");
                (rangeFrom, rangeTo) = (range.GetProperty("from").GetInt64(), range.GetProperty("to").GetInt64());
                if (rangeFrom < 1 || rangeTo < rangeFrom) failures.Add($"{BundleFormat.Manifest}: range {rangeFrom}–{rangeTo} is empty");
            }
            else if (kind == "search")
            {
                if (m.GetProperty("search").GetProperty("file").GetString() != BundleFormat.SearchAnswer)
                    failures.Add($"{BundleFormat.Manifest}: a search certificate's answer is {BundleFormat.SearchAnswer}");
            }
            else failures.Add($"{BundleFormat.Manifest}: kind '{kind}' is not asset, ledger or search");
            var cp = m.GetProperty("checkpoint");
            treeSize = cp.GetProperty("treeSize").GetInt64();
            checkpointFile = cp.GetProperty("file").GetString() ?? "";
            if (checkpointFile != BundleFormat.CheckpointFile(treeSize)) failures.Add($"{BundleFormat.Manifest}: the checkpoint file is not {BundleFormat.CheckpointFile(treeSize)}");
            if (kind == "ledger" && rangeTo > treeSize) failures.Add($"{BundleFormat.Manifest}: range ends at {rangeTo}, after the checkpoint's {treeSize} events");
            foreach (var f in m.GetProperty("files").EnumerateArray())
                listed.Add(new ListedFile(f.GetProperty("path").GetString() ?? "", f.GetProperty("sha256").GetString() ?? "", f.GetProperty("bytes").GetInt64()));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            failures.Add($"{BundleFormat.Manifest} is not a valid manifest: {e.Message}");
            return (VerificationCheck.From(CheckName, failures, ""), null);
        }
        var check = VerificationCheck.From(CheckName, failures, $"format {formatVersion}, {kind} bundle of log {origin}, checkpoint {treeSize}");
        var manifest = ledgerKey is null || anchorKey is null ? null
            : new BundleManifest(kind, origin, assetStream, rangeFrom, rangeTo, treeSize, checkpointFile, ledgerKey, anchorKey, listed, formatVersion, generatedAt);
        return (check, manifest);
    }

    static NoteVerifier? ParseKey(string? text, string what, List<string> failures)
    {
        try { return NoteVerifier.Parse(text ?? ""); }
        catch (FormatException e) { failures.Add($"{BundleFormat.Manifest}: {what} is not a verifier key ({e.Message})"); return null; }
    }
}
