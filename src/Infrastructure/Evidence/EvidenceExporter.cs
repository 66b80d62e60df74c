using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Application.Diagnostics;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Evidence;
using AssetLedger.Ledger.Evidence.Report;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Notes;
using AssetLedger.Ledger.Serialization;
using Npgsql;

namespace AssetLedger.Infrastructure.Evidence;

/// <summary>
/// Writes evidence bundles (docs/evidence-bundle.md): an asset's stream, or every event of a position range, with each
/// event's inclusion proof in the latest anchored checkpoint, that checkpoint and the earlier ones that first logged the
/// events (with consistency proofs), the anchor receipts, the participant streams that hold the signers' keys, the streams
/// of the devices that watched the asset (their keys and signed readings), the state
/// replay must reach, a report for people, and a manifest of SHA-256 hashes signed by the ledger key. It exports what is
/// stored, as stored: it never refuses a ledger that does not verify, so that the verifier can say where it breaks.
/// </summary>
public sealed partial class EvidenceExporter : IEvidenceExport
{
    const int Page = 1000;
    /// <summary>More distinct first-logging checkpoints than this, and only the first and last event's are included.</summary>
    public const int MaxEarlierCheckpoints = 1000;

    readonly NpgsqlDataSource _db;
    readonly IEventStore _events;
    readonly PostgresMerkleTree _tree;
    readonly LedgerKeys _keys;
    readonly AnchorTargets _anchors;
    readonly IClock _clock;

    public EvidenceExporter(NpgsqlDataSource db, IEventStore events, PostgresMerkleTree tree, LedgerKeys keys, IEnumerable<IAnchor> anchors, IClock clock)
        : this(db, events, tree, keys, new AnchorTargets(anchors), clock) { }

    public EvidenceExporter(NpgsqlDataSource db, IEventStore events, PostgresMerkleTree tree, LedgerKeys keys, AnchorTargets anchors, IClock clock) =>
        (_db, _events, _tree, _keys, _anchors, _clock) = (db, events, tree, keys, anchors, clock);

    /// <summary>
    /// The largest checkpoint a bundle can be proven against now: the last one the <c>local</c> anchor holds (the receipt every
    /// bundle needs, checkable offline). Without a local anchor, the largest every configured anchor holds. 0 if none.
    /// </summary>
    public async Task<long> AnchoredSize(CancellationToken ct)
    {
        var required = _anchors.IsConfigured(LocalAnchor.AnchorName) ? [LocalAnchor.AnchorName] : _anchors.Configured.Select(a => a.Name).ToArray();
        if (required.Length == 0) return 0;
        await using var cmd = _db.CreateCommand(
            "SELECT coalesce(min(coalesce(c.last_size, 0)), 0) FROM unnest($1::text[]) AS a(name) LEFT JOIN anchor_cursors c ON c.anchor = a.name");
        cmd.Parameters.Add(new NpgsqlParameter { Value = required });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Whether every chain target that is up (not failing) holds the checkpoint of <paramref name="treeSize"/>, so a bundle made
    /// now carries their receipts too. A target that is failing is not waited for: its receipt is simply absent.
    /// </summary>
    public async Task<bool> ChainsHold(long treeSize, CancellationToken ct)
    {
        var chains = (await _anchors.Names(ct)).Where(n => n != LocalAnchor.AnchorName).ToArray();
        if (chains.Length == 0) return true;
        await using var cmd = _db.CreateCommand(
            "SELECT count(*) FROM unnest($1::text[]) AS a(name) LEFT JOIN anchor_cursors c ON c.anchor = a.name WHERE coalesce(c.last_size, 0) < $2 AND c.failing_since IS NULL");
        cmd.Parameters.Add(new NpgsqlParameter { Value = chains });
        cmd.Parameters.Add(new NpgsqlParameter { Value = treeSize });
        return (long)(await cmd.ExecuteScalarAsync(ct))! == 0;
    }

    /// <summary>
    /// Waits (polling) until an anchored checkpoint covers <paramref name="position"/>, and then until the chain targets that are up
    /// hold it too, or <paramref name="wait"/> is over; returns the anchored size.
    /// </summary>
    public async Task<long> WaitForAnchored(long position, TimeSpan wait, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long? chosen = null;
        while (true)
        {
            // The first anchored checkpoint that covers the position is the bundle's; then only the chains are waited for.
            var size = chosen ?? await AnchoredSize(ct);
            if (size >= position && size > 0) chosen = size;
            if (clock.Elapsed >= wait || (chosen is { } c && await ChainsHold(c, ct))) return size;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100, Math.Max(1, (wait - clock.Elapsed).TotalMilliseconds))), ct);
        }
    }

    /// <summary>The position of a stream's last event (0 if it has none).</summary>
    public async Task<long> LastPosition(string streamId, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT coalesce(max(position), 0) FROM events WHERE stream_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = streamId });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// An asset's bundle: its stream's events up to the anchored checkpoint of <paramref name="treeSize"/>, after, for a part
    /// of a split receipt, its parent's (and their parents') events up to and including the split: the part's history
    /// begins there, and the verifier checks the part's first event against the split the rules decide.
    /// </summary>
    public Task<EvidenceExport> ExportAsset(AssetId asset, long treeSize, Stream output, CancellationToken ct) =>
        Export(new Subject("asset", asset, 0, 0, ReportModel.FileNameOf(asset.ToString(), 0, 0, treeSize)), c => LineagePages(asset, treeSize, c), treeSize, output, ct);

    /// <summary>
    /// The ancestors' streams up to each split, then the asset's: in log order, since a split is its parent's last event and
    /// is logged just before its parts' first events.
    /// </summary>
    async IAsyncEnumerable<IReadOnlyList<StoredEvent>> LineagePages(AssetId asset, long treeSize, [EnumeratorCancellation] CancellationToken ct)
    {
        var lineage = new List<(string Stream, long UpTo)> { (asset.StreamId, long.MaxValue) };
        for (var stream = asset.StreamId; lineage.Count <= MaxLineage;)
        {
            var first = await _events.ReadStream(stream, 1, 1, ct);
            if (first is not [{ Type: "asset-split-off" } e] || TryDeserialize(e) is not AssetSplitOff off) break;
            lineage.Insert(0, (stream = off.Parent.StreamId, off.ParentVersion));
        }
        foreach (var (stream, upTo) in lineage)
            await foreach (var page in StreamPages(stream, treeSize, ct))
            {
                var kept = page.Where(e => e.Version <= upTo).ToList();
                if (kept.Count > 0) yield return kept;
            }
    }

    /// <summary>Splits of splits followed back at most this far (a cycle cannot happen: a part is always a new stream).</summary>
    const int MaxLineage = 64;

    /// <summary>A ledger bundle: every event at positions [<paramref name="from"/>, <paramref name="to"/>], to ≤ <paramref name="treeSize"/>.</summary>
    public Task<EvidenceExport> ExportRange(long from, long to, long treeSize, Stream output, CancellationToken ct)
    {
        if (from < 1 || to < from || to > treeSize) throw new ArgumentOutOfRangeException(nameof(to), $"Need 1 ≤ from ({from}) ≤ to ({to}) ≤ checkpoint size ({treeSize}).");
        return Export(new Subject("ledger", null, from, to, ReportModel.FileNameOf(null, from, to, treeSize)), c => RangePages(from, to, c), treeSize, output, ct);
    }

    /// <summary>A search certificate: each stream whole, each single event (a pledge's lock) alone, merged in log order.</summary>
    public Task<EvidenceExport> ExportSearch(IReadOnlyList<string> streams, IReadOnlyList<long> positions, string searchJson, long treeSize, Stream output, CancellationToken ct) =>
        Export(new Subject("search", null, 0, 0, ReportModel.FileNameOf(null, 0, 0, treeSize, search: true), searchJson), c => SearchPages(streams, positions, treeSize, c), treeSize, output, ct);

    sealed record Subject(string Kind, AssetId? Asset, long From, long To, string FileName, string? SearchJson = null);

    async IAsyncEnumerable<IReadOnlyList<StoredEvent>> SearchPages(IReadOnlyList<string> streams, IReadOnlyList<long> positions, long treeSize, [EnumeratorCancellation] CancellationToken ct)
    {
        // A certificate names hundreds of short streams and locks: one read for all the streams, one for all the locks.
        var all = new Dictionary<long, StoredEvent>();
        foreach (var e in await WholeStreams(streams, treeSize, ct)) all[e.Position] = e;
        foreach (var e in await _events.ReadPositions([.. positions.Where(p => p <= treeSize && !all.ContainsKey(p))], ct)) all[e.Position] = e;
        yield return all.Values.OrderBy(e => e.Position).ToList();
    }

    async IAsyncEnumerable<IReadOnlyList<StoredEvent>> RangePages(long from, long to, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var after = from - 1; after < to;)
        {
            var page = (await _events.ReadAll(after, (int)Math.Min(Page, to - after), ct)).Where(e => e.Position <= to).ToList();
            if (page.Count == 0) yield break;
            yield return page;
            after = page[^1].Position;
        }
    }

    readonly record struct Logged(long Position, string StreamId);

    async Task<EvidenceExport> Export(Subject subject, Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<StoredEvent>>> pages, long treeSize, Stream output, CancellationToken ct)
    {
        var checkpoint = await CheckpointOf(treeSize, ct) ?? throw new InvalidOperationException($"No checkpoint of size {treeSize}.");
        var generatedAt = CheckpointBody.Truncate(_clock.UtcNow);
        using var zip = new BundleWriter(output, generatedAt);

        // Each numbered step below is a stage (README, "Seeing where a command's time goes"): one ends where the next begins.
        var stage = Stages.Start(Stages.EvidenceEvents);
        // 1. The subject's events, as EventHasher hashes them.
        var main = new List<Logged>();
        var states = new SortedDictionary<string, AssetState>(StringComparer.Ordinal);
        var actors = new SortedSet<string>(StringComparer.Ordinal);
        var timeline = new List<ReportEvent>();
        using (var file = zip.Open(BundleFormat.Events))
            await foreach (var page in pages(ct))
                foreach (var e in page)
                {
                    file.WriteLine(Line(e));
                    main.Add(new Logged(e.Position, e.StreamId));
                    var row = ReportEvent.Of(e.Position, e.StreamId, e.Version, e.EventId, e.Type, e.RecordedAt, e.Hash, e.Metadata, e.Data, null);
                    if (e.StreamId.StartsWith("asset-", StringComparison.Ordinal))
                    {
                        if (row.Actor is { } p) actors.Add(p);
                        // The rules judge a transfer out by the venue's roles at the time: its stream goes in too.
                        if (e.Type == "asset-transferred-out" && TryDeserialize(e) is AssetTransferredOut o) actors.Add(o.Venue.Value);
                        ReportModel.Fold(states, e.StreamId, e.Version, e.Type, e.Data);
                    }
                    if (timeline.Count < EvidenceReport.MaxTimelineRows) timeline.Add(row);
                }

        stage.Dispose();
        stage = Stages.Start(Stages.EvidenceParticipants);
        // 2. The participant streams of the asset events' actors (and venues): their keys and roles at each event.
        var participantEvents = await WholeStreams([.. actors.Select(ParticipantStream)], treeSize, ct);
        participantEvents.Sort((a, b) => a.Position.CompareTo(b.Position));
        var signingKeys = new List<(string, string, long)>();
        using (var file = zip.Open(BundleFormat.Participants))
            foreach (var e in participantEvents)
            {
                file.WriteLine(Line(e));
                if (e.Type == "participant-signing-key-registered" && TryDeserialize(e) is ParticipantSigningKeyRegistered k) signingKeys.Add((k.Participant.Value, k.KeyId, e.Position));
            }

        // 2b. The whole streams of the devices bound to the asset (or to a receipt it was split from): keys and readings.
        var deviceEvents = new List<StoredEvent>();
        if (subject.Kind == "asset")
            foreach (var device in await DevicesBoundTo(main.Select(m => m.StreamId).Where(s => s.StartsWith("asset-", StringComparison.Ordinal)).Distinct().Select(s => s[6..]).ToArray(), treeSize, ct))
                await foreach (var page in StreamPages(device, treeSize, ct)) deviceEvents.AddRange(page);
        deviceEvents.Sort((a, b) => a.Position.CompareTo(b.Position));
        using (var file = zip.Open(BundleFormat.Devices))
            foreach (var e in deviceEvents) file.WriteLine(Line(e));

        stage.Dispose();
        stage = Stages.Start(Stages.EvidenceProofs);
        // 3. Inclusion proofs in the checkpoint, and the checkpoint that first logged each event.
        // A certificate's or an asset's few events: one probe each; a ledger range's many: every checkpoint from the first on.
        var firstOf = main.Count <= Page ? await FirstCheckpoints([.. main.Select(m => m.Position)], treeSize, ct) : await FirstCheckpointsOfRange(main, treeSize, ct);
        if (firstOf.Values.Where(s => s < treeSize).Distinct().Count() > MaxEarlierCheckpoints)
        {
            var keep = new HashSet<long> { main[0].Position, main[^1].Position };
            foreach (var p in firstOf.Keys.Where(p => !keep.Contains(p)).ToList()) firstOf.Remove(p);
        }
        var earlier = firstOf.Values.Where(s => s < treeSize).Distinct().Order().ToList();
        var positions = main.Select(m => m.Position).Concat(participantEvents.Select(e => e.Position)).Concat(deviceEvents.Select(e => e.Position)).Distinct().Order().ToList();
        // The consistency proofs' subtrees are read with the first page of inclusion proofs: one read of the tiles, and
        // the upper tiles they share hashed once.
        var consistencyPlans = earlier.Select(s => TreePlan.Consistency(s, treeSize)).ToList();
        var consistencyRanges = consistencyPlans.SelectMany(r => r).ToList();
        byte[][]? consistencyHashes = null;
        using (var file = zip.Open(BundleFormat.Proofs))
            for (var start = 0; start < positions.Count; start += Page)
            {
                var chunk = positions.Skip(start).Take(Page).ToList();
                var plans = chunk.Select(p => TreePlan.Inclusion(p - 1, treeSize)).ToList();
                var ranges = plans.SelectMany(r => r).ToList();
                if (start == 0) ranges.AddRange(consistencyRanges);
                var hashes = await MerkleProofs.Resolve(ranges, _tree, ct);
                if (start == 0) consistencyHashes = hashes[(ranges.Count - consistencyRanges.Count)..];
                var offset = 0;
                for (var i = 0; i < chunk.Count; i++)
                {
                    file.WriteLine(BundleFormat.ProofLine(chunk[i], treeSize, hashes.AsSpan(offset, plans[i].Count).ToArray(), firstOf.TryGetValue(chunk[i], out var first) ? first : null));
                    offset += plans[i].Count;
                }
            }

        stage.Dispose();
        stage = Stages.Start(Stages.EvidenceCheckpoints);
        // 4. Checkpoints, consistency proofs from the earlier ones, anchor receipts, witness cosignatures.
        var checkpoints = new List<SignedCheckpoint> { checkpoint };
        checkpoints.AddRange(await CheckpointsOf(earlier, ct));
        foreach (var c in checkpoints.OrderBy(c => c.TreeSize)) zip.Write(BundleFormat.CheckpointFile(c.TreeSize), c.Note);
        using (var file = zip.Open(BundleFormat.Consistency))
        {
            var hashes = consistencyHashes ?? await MerkleProofs.Resolve(consistencyRanges, _tree, ct);
            var offset = 0;
            for (var i = 0; i < earlier.Count; i++)
            {
                file.WriteLine(BundleFormat.ConsistencyLine(earlier[i], treeSize, hashes.AsSpan(offset, consistencyPlans[i].Count).ToArray()));
                offset += consistencyPlans[i].Count;
            }
        }
        var receipts = await Receipts(checkpoints.Select(c => c.TreeSize).ToArray(), ct);
        zip.Write(BundleFormat.Anchors, AnchorsJson(receipts));
        using (var file = zip.Open(BundleFormat.Cosignatures))
            foreach (var (witness, size, line) in await Cosignatures(checkpoints.Select(c => c.TreeSize).ToArray(), ct))
                file.WriteLine(BundleFormat.CosignatureLine(witness, size, line));

        // 5. The state replay must reach: every asset stream whose first event is in the bundle.
        zip.Write(BundleFormat.State, StateJson(states));
        if (subject.SearchJson is { } answer) zip.Write(BundleFormat.SearchAnswer, answer);

        stage.Dispose();
        stage = Stages.Start(Stages.EvidenceReport);
        // 6. For people.
        for (var i = 0; i < timeline.Count; i++)
            if (firstOf.TryGetValue(timeline[i].Position, out var by)) timeline[i] = timeline[i] with { LoggedBy = by };
        // The verifier renders it again from the files (ReportCheck): build it only from what the files say.
        var assetId = subject.Asset?.ToString();
        var model = new ReportModel(
            ReportModel.TitleOf(assetId, subject.From, subject.To, subject.Kind == "search"), ReportModel.SubjectOf(assetId, _keys.Ledger.Name, subject.From, subject.To, treeSize, subject.Kind == "search"),
            generatedAt, _keys.Ledger.Name, _keys.Ledger.VerifierKey, _keys.Anchor.VerifierKey, treeSize, BundleFormat.Hex(checkpoint.RootHash), checkpoint.Timestamp,
            receipts.Where(r => r.TreeSize == treeSize).Select(r => ReportModel.AnchorLine(r.Anchor, r.TransactionReference, BundleFormat.Time(r.AnchoredAt))).ToList(),
            timeline, main.Count, signingKeys,
            subject.Asset is { } s && states.TryGetValue(s.StreamId, out var state) ? EvidenceReport.Facts(state) : [],
            participantEvents.Count, earlier.Count, subject.FileName);
        zip.Write(BundleFormat.ReportMarkdown, EvidenceReport.Markdown(model));
        zip.Write(BundleFormat.ReportHtml, EvidenceReport.Html(model));

        stage.Dispose();
        stage = Stages.Start(Stages.EvidenceManifest);
        // 7. The manifest, and the ledger key's signature over it.
        var manifest = ManifestJson(subject, generatedAt, checkpoint, main.Count, participantEvents.Count, deviceEvents.Count, checkpoints.Count, zip.Files);
        zip.Write(BundleFormat.Manifest, manifest, listed: false);
        zip.Write(BundleFormat.ManifestSignature, SignedNote.Sign(BundleFormat.SignatureText(_keys.Ledger.Name, zip.LastUnlistedHash!), _keys.Ledger), listed: false);
        stage.Dispose();
        return new EvidenceExport(treeSize, main.Count, participantEvents.Count, checkpoints.Count, subject.FileName);
    }
}
