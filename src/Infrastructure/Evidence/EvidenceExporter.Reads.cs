using AssetLedger.Domain.Common;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using Npgsql;

namespace AssetLedger.Infrastructure.Evidence;

/// <summary>What a bundle needs from the ledger's tables: checkpoints by size, their anchor receipts and witness cosignatures, the devices bound to an asset.</summary>
public sealed partial class EvidenceExporter
{
    async Task<SignedCheckpoint?> CheckpointOf(long treeSize, CancellationToken ct) => (await CheckpointsOf([treeSize], ct)).FirstOrDefault();

    async Task<IReadOnlyList<SignedCheckpoint>> CheckpointsOf(IReadOnlyList<long> sizes, CancellationToken ct)
    {
        if (sizes.Count == 0) return [];
        await using var cmd = _db.CreateCommand("SELECT tree_size, root_hash, created_at, previous_hash, note, note_hash FROM checkpoints WHERE tree_size = ANY($1) ORDER BY tree_size");
        cmd.Parameters.Add(new NpgsqlParameter { Value = sizes.ToArray() });
        return await CheckpointStore.Read(cmd, ct);
    }

    async Task<List<long>> CheckpointSizes(long from, long to, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT tree_size FROM checkpoints WHERE tree_size >= $1 AND tree_size <= $2 ORDER BY tree_size");
        cmd.Parameters.Add(new NpgsqlParameter { Value = from });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        var list = new List<long>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetInt64(0));
        return list;
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
        await using var cmd = _db.CreateCommand(
            // A witness's receipt is its cosignature, which the bundle carries in cosignatures.jsonl.
            "SELECT anchor, tree_size, transaction_ref, anchored_at, proof::text FROM anchor_receipts WHERE tree_size = ANY($1) AND anchor NOT LIKE 'witness:%' ORDER BY tree_size, anchor");
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
