using System.Globalization;
using System.Text;
using AssetLedger.Ledger.Canonical;

namespace AssetLedger.Ledger.Evidence;

/// <summary>
/// The evidence bundle's file names and line formats (docs/evidence-bundle.md). Every JSON line is RFC 8785 canonical
/// (members sorted, no whitespace), hashes are lower-case hex, times are UTC ISO 8601.
/// </summary>
public static class BundleFormat
{
    /// <summary>
    /// 2 adds <see cref="Cosignatures"/>; a bundle of format 1 (none) is still read, and has no witness cosignature.
    /// 3 carries the venues' participant streams and holds events whose metadata commits to the actor's stream and whose
    /// signed commands bind asset, version and time (docs/evidence-bundle.md §4); format 2 bundles keep their own rules.
    /// 4 adds <see cref="Devices"/>: the streams of the devices that watched the asset, whose readings the verifier checks.
    /// </summary>
    public const int Version = 4;
    /// <summary>The first format with <see cref="Devices"/>; an older bundle has none and needs none.</summary>
    public const int FirstVersionWithDevices = 4;
    public const int FirstVersion = 1;

    public const string Manifest = "manifest.json";
    public const string ManifestSignature = "manifest.sig";
    public const string Events = "events.jsonl";
    public const string Participants = "participants.jsonl";
    /// <summary>The whole streams of the devices bound to the asset: their keys' history and their signed readings (docs/evidence-bundle.md §4b).</summary>
    public const string Devices = "devices.jsonl";
    public const string Proofs = "proofs.jsonl";
    public const string Consistency = "consistency.jsonl";
    public const string Anchors = "anchors.json";
    public const string State = "state.json";
    public const string ReportMarkdown = "REPORT.md";
    public const string ReportHtml = "report.html";
    public const string CheckpointDirectory = "checkpoints/";
    public const string Cosignatures = "cosignatures.jsonl";
    /// <summary>A search certificate's criteria, time and answer (docs/search-certificate.md); only in a bundle of kind <c>search</c>.</summary>
    public const string SearchAnswer = "search.json";

    /// <summary>First line of the manifest signature note: it can never be read as a checkpoint (whose first line is the origin).</summary>
    public const string SignatureHeader = "assetledger-evidence-bundle/v1";

    public static string CheckpointFile(long treeSize) => $"{CheckpointDirectory}{treeSize.ToString(CultureInfo.InvariantCulture)}.txt";

    /// <summary>The text the ledger key signs in manifest.sig.</summary>
    public static string SignatureText(string origin, string manifestSha256Hex) =>
        $"{SignatureHeader}\norigin {origin}\nmanifest {manifestSha256Hex}\n";

    /// <summary>Microseconds, as PostgreSQL keeps them: <c>2026-11-25T08:00:00.123456Z</c>.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary><c>{"envelope":…,"hash":…,"position":…,"recordedAt":…}</c>: one line of events.jsonl or participants.jsonl.</summary>
    public static string EventLine(string canonicalEnvelope, string hash, long position, DateTimeOffset recordedAt)
    {
        var sb = new StringBuilder(canonicalEnvelope.Length + 160);
        sb.Append("{\"envelope\":").Append(canonicalEnvelope);
        sb.Append(",\"hash\":"); Jcs.WriteString(sb, hash);
        sb.Append(",\"position\":").Append(position.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"recordedAt\":"); Jcs.WriteString(sb, Time(recordedAt));
        return sb.Append('}').ToString();
    }

    /// <summary><c>{"firstCheckpoint":…,"leafIndex":…,"path":[…],"position":…,"treeSize":…}</c>: one line of proofs.jsonl.</summary>
    public static string ProofLine(long position, long treeSize, IReadOnlyList<byte[]> path, long? firstCheckpoint)
    {
        var sb = new StringBuilder(96 + path.Count * 67);
        sb.Append('{');
        if (firstCheckpoint is { } first) sb.Append("\"firstCheckpoint\":").Append(first.ToString(CultureInfo.InvariantCulture)).Append(',');
        sb.Append("\"leafIndex\":").Append((position - 1).ToString(CultureInfo.InvariantCulture));
        AppendPath(sb, path);
        sb.Append(",\"position\":").Append(position.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"treeSize\":").Append(treeSize.ToString(CultureInfo.InvariantCulture));
        return sb.Append('}').ToString();
    }

    /// <summary><c>{"from":…,"path":[…],"to":…}</c>: one line of consistency.jsonl.</summary>
    public static string ConsistencyLine(long from, long to, IReadOnlyList<byte[]> path)
    {
        var sb = new StringBuilder(64 + path.Count * 67);
        sb.Append("{\"from\":").Append(from.ToString(CultureInfo.InvariantCulture));
        AppendPath(sb, path);
        sb.Append(",\"to\":").Append(to.ToString(CultureInfo.InvariantCulture));
        return sb.Append('}').ToString();
    }

    /// <summary><c>{"cosignature":…,"treeSize":…,"witness":…}</c>: one line of cosignatures.jsonl (the witness's signature line, newline included).</summary>
    public static string CosignatureLine(string witness, long treeSize, string cosignature)
    {
        var sb = new StringBuilder(160);
        sb.Append("{\"cosignature\":"); Jcs.WriteString(sb, cosignature);
        sb.Append(",\"treeSize\":").Append(treeSize.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"witness\":"); Jcs.WriteString(sb, witness);
        return sb.Append('}').ToString();
    }

    static void AppendPath(StringBuilder sb, IReadOnlyList<byte[]> path)
    {
        sb.Append(",\"path\":[");
        for (var i = 0; i < path.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append('"').Append(Convert.ToHexStringLower(path[i])).Append('"');
        }
        sb.Append(']');
    }
}
