using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Evidence;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Infrastructure.Evidence;

/// <summary>The bundle's files as text: event lines, the state replay must reach, anchor receipts and the manifest.</summary>
public sealed partial class EvidenceExporter
{
    static string ParticipantStream(string participant) => $"participant-{participant}";

    static string Line(StoredEvent e) => BundleFormat.EventLine(
        EventHasher.CanonicalEnvelope(Jcs.Canonicalize(e.Data), e.EventId, Jcs.Canonicalize(e.Metadata), e.PreviousHash, e.SchemaVersion, e.StreamId, e.Type, e.Version),
        e.Hash, e.Position, e.RecordedAt);

    static object? TryDeserialize(StoredEvent e)
    {
        try { return EventSerializer.Instance.Deserialize(e.Type, e.Data); }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException) { return null; }
    }

    static string AnchorsJson(IReadOnlyList<AnchorReceipt> receipts)
    {
        var sb = new StringBuilder("{\"receipts\":[\n");
        for (var i = 0; i < receipts.Count; i++)
        {
            var r = receipts[i];
            sb.Append("{\"anchor\":"); Jcs.WriteString(sb, r.Anchor);
            sb.Append(",\"anchoredAt\":"); Jcs.WriteString(sb, BundleFormat.Time(r.AnchoredAt));
            sb.Append(",\"proof\":").Append(Jcs.Canonicalize(r.ProofJson));
            sb.Append(",\"transactionReference\":"); Jcs.WriteString(sb, r.TransactionReference);
            sb.Append(",\"treeSize\":").Append(r.TreeSize).Append('}');
            sb.Append(i + 1 < receipts.Count ? ",\n" : "\n");
        }
        return sb.Append("]}\n").ToString();
    }

    static string StateJson(SortedDictionary<string, AssetState> states)
    {
        var root = new JsonObject();
        foreach (var (stream, state) in states) root[stream] = JsonSerializer.SerializeToNode(state, EventSerializer.Options);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    string ManifestJson(Subject subject, DateTimeOffset generatedAt, SignedCheckpoint checkpoint, long events, long participantEvents, long deviceEvents, int checkpoints, IReadOnlyList<BundleFile> files)
    {
        var manifest = new JsonObject
        {
            ["formatVersion"] = BundleFormat.Version,
            ["kind"] = subject.Kind,
            ["origin"] = _keys.Ledger.Name,
            ["keys"] = new JsonObject { ["ledger"] = _keys.Ledger.VerifierKey, ["anchor"] = _keys.Anchor.VerifierKey },
            ["generatedAt"] = BundleFormat.Time(generatedAt),
            ["generator"] = "AssetLedger",
        };
        if (subject.Asset is { } a) manifest["asset"] = new JsonObject { ["id"] = a.ToString(), ["streamId"] = a.StreamId };
        else if (subject.Kind == "search") manifest["search"] = new JsonObject { ["file"] = BundleFormat.SearchAnswer };
        else manifest["range"] = new JsonObject { ["from"] = subject.From, ["to"] = subject.To };
        manifest["checkpoint"] = new JsonObject { ["treeSize"] = checkpoint.TreeSize, ["file"] = BundleFormat.CheckpointFile(checkpoint.TreeSize) };
        manifest["counts"] = new JsonObject { ["events"] = events, ["participantEvents"] = participantEvents, ["deviceEvents"] = deviceEvents, ["checkpoints"] = checkpoints };
        manifest["files"] = new JsonArray(files.OrderBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => (JsonNode)new JsonObject { ["path"] = f.Path, ["sha256"] = f.Sha256, ["bytes"] = f.Bytes }).ToArray());
        return manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
