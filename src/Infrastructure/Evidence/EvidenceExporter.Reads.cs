using System.Runtime.CompilerServices;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using Npgsql;

namespace AssetLedger.Infrastructure.Evidence;

/// <summary>What a bundle needs from the log and the ledger's tables: streams, checkpoints by size, their anchor receipts and witness cosignatures, the devices bound to an asset.</summary>
public sealed partial class EvidenceExporter
{
    /// <summary>Every event of each stream up to the checkpoint: one read for all of them, then paging on through a stream longer than a page.</summary>
    async Task<List<StoredEvent>> WholeStreams(IReadOnlyList<string> streams, long treeSize, CancellationToken ct)
    {
        var list = new List<StoredEvent>();
        if (streams.Count == 0) return list;
        foreach (var (stream, events) in await _events.ReadStreams(streams, Page, ct))
        {
            list.AddRange(events.Where(e => e.Position <= treeSize));
            if (events.Count < Page) continue;
            await foreach (var page in StreamPages(stream, treeSize, ct, events[^1].Version + 1)) list.AddRange(page);
        }
        return list;
    }

    async IAsyncEnumerable<IReadOnlyList<StoredEvent>> StreamPages(string streamId, long treeSize, [EnumeratorCancellation] CancellationToken ct, long fromVersion = 1)
    {
        for (var next = fromVersion; ;)
        {
            var page = await _events.ReadStream(streamId, next, Page, ct);
            var inTree = page.Where(e => e.Position <= treeSize).ToList();
            if (inTree.Count > 0) yield return inTree;
            if (page.Count < Page) yield break;
            next = page[^1].Version + 1;
        }
    }

    async Task<SignedCheckpoint?> CheckpointOf(long treeSize, CancellationToken ct) => (await CheckpointsOf([treeSize], ct)).FirstOrDefault();

    async Task<IReadOnlyList<SignedCheckpoint>> CheckpointsOf(IReadOnlyList<long> sizes, CancellationToken ct)
    {
        if (sizes.Count == 0) return [];
        await using var cmd = _db.CreateCommand("SELECT tree_size, root_hash, created_at, previous_hash, note, note_hash FROM checkpoints WHERE tree_size = ANY($1) ORDER BY tree_size");
        cmd.Parameters.Add(new NpgsqlParameter { Value = sizes.ToArray() });
        return await CheckpointStore.Read(cmd, ct);
    }

    /// <summary>
    /// The checkpoint that first logged each position: the smallest of size ≥ it, up to <paramref name="treeSize"/>, else
    /// <paramref name="treeSize"/>. One index probe per position, not every checkpoint from the first position on (3,128 rows
    /// at a million assets for a certificate of 37 events).
    /// </summary>
    async Task<Dictionary<long, long>> FirstCheckpoints(IReadOnlyList<long> positions, long treeSize, CancellationToken ct)
    {
        var first = new Dictionary<long, long>(positions.Count);
        if (positions.Count == 0) return first;
        await using var cmd = _db.CreateCommand("""
            SELECT p.position, (SELECT c.tree_size FROM checkpoints c WHERE c.tree_size >= p.position AND c.tree_size <= $2 ORDER BY c.tree_size LIMIT 1)
            FROM unnest($1::bigint[]) AS p(position)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = positions.Distinct().ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = treeSize });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) first[r.GetInt64(0)] = r.IsDBNull(1) ? treeSize : r.GetInt64(1);
        return first;
    }

    async Task<Dictionary<long, long>> FirstCheckpointsOfRange(IReadOnlyList<Logged> main, long treeSize, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT tree_size FROM checkpoints WHERE tree_size >= $1 AND tree_size <= $2 ORDER BY tree_size");
        cmd.Parameters.Add(new NpgsqlParameter { Value = main.Min(m => m.Position) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = treeSize });
        var sizes = new List<long>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) sizes.Add(r.GetInt64(0));
        var first = new Dictionary<long, long>(main.Count);
        foreach (var m in main)
        {
            var i = sizes.BinarySearch(m.Position);
            first[m.Position] = i >= 0 ? sizes[i] : ~i < sizes.Count ? sizes[~i] : treeSize;
        }
        return first;
    }

    /// <summary>Each stream's last event by version (a device stream may hold millions of readings), then the latest of those.</summary>
    public async Task<long> LastPositionOfAsset(AssetId asset, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("""
            SELECT coalesce(max(last), 0) FROM (
                SELECT (SELECT e.position FROM events e WHERE e.stream_id = s.id ORDER BY e.version DESC LIMIT 1) AS last
                FROM unnest(array_append(ARRAY(SELECT DISTINCT stream_id FROM events WHERE type = 'device-bound' AND data->>'asset' = $2), $1::text)) AS s(id)) streams
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = asset.StreamId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = asset.ToString() });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The streams of the devices ever bound to one of the assets (ids, 32 hex digits) by the checkpoint of <paramref name="treeSize"/>.</summary>
    async Task<IReadOnlyList<string>> DevicesBoundTo(string[] assets, long treeSize, CancellationToken ct)
    {
        // events_device_bound_asset (migration 0027) answers this without reading every event.
        await using var cmd = _db.CreateCommand(
            "SELECT DISTINCT stream_id FROM events WHERE type = 'device-bound' AND data->>'asset' = ANY($1) AND position <= $2 ORDER BY stream_id");
        cmd.Parameters.Add(new NpgsqlParameter { Value = assets });
        cmd.Parameters.Add(new NpgsqlParameter { Value = treeSize });
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetString(0));
        return list;
    }

    async Task<IReadOnlyList<AnchorReceipt>> Receipts(long[] sizes, CancellationToken ct)
    {
        // A witness's receipt is its cosignature, which the bundle carries in cosignatures.jsonl. The key is (anchor, tree_size):
        // the few anchor names are found by skipping through the key, then each (anchor, size) is one probe, instead of
        // reading every receipt to find the sizes asked.
        await using var cmd = _db.CreateCommand("""
            WITH RECURSIVE anchors(name) AS (
                SELECT min(anchor) FROM anchor_receipts
                UNION ALL
                SELECT (SELECT min(r.anchor) FROM anchor_receipts r WHERE r.anchor > a.name) FROM anchors a WHERE a.name IS NOT NULL)
            SELECT r.anchor, r.tree_size, r.transaction_ref, r.anchored_at, r.proof::text
            FROM anchors a CROSS JOIN unnest($1::bigint[]) AS s(size)
            JOIN anchor_receipts r ON r.anchor = a.name AND r.tree_size = s.size
            WHERE a.name NOT LIKE 'witness:%'
            ORDER BY r.tree_size, r.anchor
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = sizes });
        var list = new List<AnchorReceipt>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(new AnchorReceipt(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetString(4)));
        return list;
    }

    async Task<IReadOnlyList<(string Witness, long TreeSize, string Cosignature)>> Cosignatures(long[] sizes, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT witness, tree_size, cosignature FROM witness_cosignatures WHERE tree_size = ANY($1) ORDER BY tree_size, witness");
        cmd.Parameters.Add(new NpgsqlParameter { Value = sizes });
        var list = new List<(string, long, string)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add((r.GetString(0), r.GetInt64(1), r.GetString(2)));
        return list;
    }
}
