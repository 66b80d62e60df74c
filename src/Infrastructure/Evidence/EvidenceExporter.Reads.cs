using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using Npgsql;

namespace AssetLedger.Infrastructure.Evidence;

/// <summary>What a bundle needs from the ledger's tables: checkpoints by size, their anchor receipts and witness cosignatures.</summary>
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
