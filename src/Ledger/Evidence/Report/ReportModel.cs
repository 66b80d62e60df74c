using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Domain.Assets;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Ledger.Evidence.Report;

/// <summary>One row of the report's timeline.</summary>
public sealed record ReportEvent(
    long Position, string StreamId, long Version, Guid EventId, string Type, DateTimeOffset RecordedAt, string Hash,
    string? Actor, string? User, string? SignedWithKey, long? LoggedBy, string Summary)
{
    /// <summary>The row for an event line: its actor, user and signing key from the metadata, a summary from the data.</summary>
    public static ReportEvent Of(long position, string streamId, long version, Guid eventId, string type, DateTimeOffset recordedAt, string hash,
        string metadataJson, string dataJson, long? loggedBy)
    {
        string? participant = null, user = null, keyId = null;
        try
        {
            var m = EventMetadata.FromJson(metadataJson);
            (participant, user) = (m.Participant, m.User);
            if (m.Signature is { } sig)
            {
                try { keyId = JsonNode.Parse(sig)?["keyId"]?.GetValue<string>(); }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException) { keyId = "(unreadable)"; }
            }
        }
        catch (JsonException) { }
        return new ReportEvent(position, streamId, version, eventId, type, recordedAt, hash, participant, user, keyId, loggedBy, EvidenceReport.Summarise(type, dataJson));
    }
}

/// <summary>What REPORT.md and report.html say: the bundle's subject, its checkpoint and anchors, and the timeline.</summary>
public sealed record ReportModel(
    string Title, string Subject, DateTimeOffset GeneratedAt, string Origin, string LedgerKey, string AnchorKey,
    long TreeSize, string RootHash, DateTimeOffset CheckpointTime, IReadOnlyList<string> Anchors,
    IReadOnlyList<ReportEvent> Timeline, long TotalEvents, IReadOnlyList<(string Participant, string KeyId, long Position)> SigningKeys,
    IReadOnlyList<string> StateFacts, int ParticipantEvents, int EarlierCheckpoints, string BundleName)
{
    /// <param name="assetId">The asset's id (32 hex digits) for an asset bundle; null for a ledger bundle of positions <paramref name="from"/>–<paramref name="to"/>.</param>
    public static string TitleOf(string? assetId, long from, long to, bool search = false) =>
        search ? "Search certificate (查询证明)" : assetId is not null ? $"Evidence bundle: asset {assetId}" : $"Evidence bundle: ledger positions {from}–{to}";

    public static string SubjectOf(string? assetId, string origin, long from, long to, long treeSize, bool search = false) =>
        search ? $"What {origin} answered to a search of its registrations and pledges (search.json), with every event it rests on, proven against its signed and anchored checkpoint of {treeSize} events."
        : assetId is not null
            ? $"The complete history of asset {assetId} (stream asset-{assetId}) as logged by {origin}, up to its signed and anchored checkpoint of {treeSize} events."
            : $"Every event of {origin} at log positions {from} to {to}, proven against its signed and anchored checkpoint of {treeSize} events.";

    public static string FileNameOf(string? assetId, long from, long to, long treeSize, bool search = false) =>
        search ? $"search-certificate-{treeSize}.zip" : assetId is not null ? $"evidence-asset-{assetId}-{treeSize}.zip" : $"evidence-ledger-{from}-{to}-{treeSize}.zip";

    /// <param name="anchoredAt">As anchors.json writes it (<see cref="BundleFormat.Time"/>).</param>
    public static string AnchorLine(string anchor, string transactionReference, string anchoredAt) => $"{anchor} anchor, {transactionReference}, at {anchoredAt}";

    /// <summary>
    /// Folds an asset stream that starts in the bundle (at its version 1); a stream whose events do not fold has no
    /// state, and so no facts in the report.
    /// </summary>
    public static void Fold(IDictionary<string, AssetState> states, string streamId, long version, string type, string data)
    {
        if (version == 1) states[streamId] = AssetState.Initial;
        if (!states.TryGetValue(streamId, out var s)) return;
        try { states[streamId] = AssetState.Evolve(s, (IAssetEvent)EventSerializer.Instance.Deserialize(type, data)); }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidCastException or NotSupportedException or FormatException) { states.Remove(streamId); }
    }
}
