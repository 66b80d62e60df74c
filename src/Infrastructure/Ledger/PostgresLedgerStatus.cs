using System.Data.Common;
using AssetLedger.Application.Ports;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>The ledger's proof state for log positions, read from its own tables in the caller's batch and snapshot.</summary>
public sealed class PostgresLedgerStatus : ILedgerStatus
{
    public LedgerHeadQuery Head { get; } = new(
        """
        SELECT (SELECT size FROM merkle_tree WHERE id = 1), c.tree_size, c.created_at, (SELECT count(*) FROM anchor_cursors)::int
        FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT tree_size, created_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1) c ON true
        """, ReadHead);

    public LedgerProofQuery ProofsOf(string positionsSql) =>
        // Each position looks up its first covering checkpoint (and receipt per anchor) through the primary keys, all positions
        // in one statement each: a timeline of a thousand events is still three statements, in the caller's round trip. The first
        // takes no parameter; the others may use the caller's.
        new([
            Head.Statement,
            $"""
            SELECT p.position, c.tree_size, c.created_at
            FROM ({positionsSql}) AS p(position)
            LEFT JOIN LATERAL (SELECT tree_size, created_at FROM checkpoints WHERE tree_size >= p.position ORDER BY tree_size LIMIT 1) c ON true
            """,
            $"""
            SELECT p.position, r.anchor, r.tree_size, r.transaction_ref, r.anchored_at
            FROM ({positionsSql}) AS p(position) CROSS JOIN anchor_cursors ac
            JOIN LATERAL (SELECT anchor, tree_size, transaction_ref, anchored_at FROM anchor_receipts
                          WHERE anchor = ac.anchor AND tree_size >= p.position ORDER BY tree_size LIMIT 1) r ON true
            ORDER BY p.position, r.anchor
            """], Read);

    static LedgerHead ReadHead(DbDataReader r, int i) =>
        new(r.GetInt64(i), r.IsDBNull(i + 1) ? null : r.GetInt64(i + 1), r.IsDBNull(i + 2) ? null : r.GetFieldValue<DateTimeOffset>(i + 2), r.GetInt32(i + 3));

    static async Task<LedgerProofs> Read(DbDataReader r, CancellationToken ct)
    {
        await r.ReadAsync(ct);
        var head = ReadHead(r, 0);
        await r.NextResultAsync(ct);
        var checkpoints = new Dictionary<long, CoveringCheckpoint?>();
        while (await r.ReadAsync(ct))
            checkpoints[r.GetInt64(0)] = r.IsDBNull(1) ? null : new CoveringCheckpoint(r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2));
        await r.NextResultAsync(ct);
        var anchors = checkpoints.Keys.ToDictionary(p => p, _ => new List<CoveringAnchorReceipt>());
        while (await r.ReadAsync(ct))
            anchors[r.GetInt64(0)].Add(new CoveringAnchorReceipt(r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4)));
        await r.NextResultAsync(ct);
        return new LedgerProofs(head, checkpoints.ToDictionary(c => c.Key, c => new PositionProof(c.Key, c.Value, anchors[c.Key])));
    }
}
