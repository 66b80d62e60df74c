using System.Data.Common;
using AssetLedger.Application.Ports;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>The ledger's proof state for log positions, read from its own tables in the caller's batch and snapshot.</summary>
public sealed class PostgresLedgerStatus : ILedgerStatus
{
    public LedgerProofQuery ProofsOf(string positionsSql) =>
        // One statement (issue 21: each statement of a trace cost PostgreSQL some 45 us beyond its work): a row per position
        // with its first covering checkpoint and, per anchor, its first covering receipt as parallel arrays, every row also
        // carrying the head (one row with no position when the query selects none). Each position looks its proofs up through
        // the primary keys, so a timeline of a thousand events is still one statement.
        new([
            $"""
            SELECT hd.size, hd.tree_size, hd.created_at, p.position, c.tree_size, c.created_at, r.anchors, r.sizes, r.refs, r.ats
            FROM (SELECT (SELECT size FROM merkle_tree WHERE id = 1) AS size, lc.tree_size, lc.created_at
                  FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT tree_size, created_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1) lc ON true) hd
            LEFT JOIN ({positionsSql}) AS p(position) ON true
            LEFT JOIN LATERAL (SELECT tree_size, created_at FROM checkpoints WHERE tree_size >= p.position ORDER BY tree_size LIMIT 1) c ON true
            LEFT JOIN LATERAL (SELECT array_agg(x.anchor ORDER BY x.anchor) AS anchors, array_agg(x.tree_size ORDER BY x.anchor) AS sizes,
                                      array_agg(x.transaction_ref ORDER BY x.anchor) AS refs, array_agg(x.anchored_at ORDER BY x.anchor) AS ats
                               FROM anchor_cursors ac
                               JOIN LATERAL (SELECT anchor, tree_size, transaction_ref, anchored_at FROM anchor_receipts
                                             WHERE anchor = ac.anchor AND tree_size >= p.position ORDER BY tree_size LIMIT 1) x ON true) r ON true
            ORDER BY p.position
            """], Read);

    static async Task<LedgerProofs> Read(DbDataReader r, CancellationToken ct)
    {
        LedgerHead? head = null;
        var positions = new Dictionary<long, PositionProof>();
        while (await r.ReadAsync(ct))
        {
            head ??= new LedgerHead(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2));
            if (r.IsDBNull(3)) continue;
            var position = r.GetInt64(3);
            var checkpoint = r.IsDBNull(4) ? null : new CoveringCheckpoint(r.GetInt64(4), r.GetFieldValue<DateTimeOffset>(5));
            var anchors = new List<CoveringAnchorReceipt>();
            if (!r.IsDBNull(6))
            {
                var (names, sizes, refs, ats) = (r.GetFieldValue<string[]>(6), r.GetFieldValue<long[]>(7), r.GetFieldValue<string[]>(8), r.GetFieldValue<DateTimeOffset[]>(9));
                for (var i = 0; i < names.Length; i++) anchors.Add(new CoveringAnchorReceipt(names[i], sizes[i], refs[i], ats[i]));
            }
            positions[position] = new PositionProof(position, checkpoint, anchors);
        }
        await r.NextResultAsync(ct);
        return new LedgerProofs(head ?? new LedgerHead(0, null, null), positions);
    }
}
