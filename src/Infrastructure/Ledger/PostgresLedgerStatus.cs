using System.Data.Common;
using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>The ledger's proof state for log positions, read from its own tables within the caller's snapshot.</summary>
public sealed class PostgresLedgerStatus : ILedgerStatus
{
    public async Task<LedgerProofs> Proofs(IReadOnlyCollection<long> positions, DbTransaction within, CancellationToken ct)
    {
        var tx = within as NpgsqlTransaction ?? throw new ArgumentException("The ledger is read within a PostgreSQL transaction on its database.", nameof(within));
        var asked = positions.Distinct().ToArray();
        var conn = tx.Connection!;
        // Each position looks up its first covering checkpoint (and receipt per anchor) through the primary keys, all positions
        // in one statement: a timeline of a thousand events is still one round trip.
        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    SELECT (SELECT size FROM merkle_tree WHERE id = 1), c.tree_size, c.created_at
                    FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT tree_size, created_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1) c ON true
                    """),
                new NpgsqlBatchCommand("""
                    SELECT p.position, c.tree_size, c.created_at
                    FROM unnest($1::bigint[]) AS p(position)
                    JOIN LATERAL (SELECT tree_size, created_at FROM checkpoints WHERE tree_size >= p.position ORDER BY tree_size LIMIT 1) c ON true
                    """) { Parameters = { new() { Value = asked } } },
                new NpgsqlBatchCommand("""
                    SELECT p.position, r.anchor, r.tree_size, r.transaction_ref, r.anchored_at
                    FROM unnest($1::bigint[]) AS p(position) CROSS JOIN anchor_cursors ac
                    JOIN LATERAL (SELECT anchor, tree_size, transaction_ref, anchored_at FROM anchor_receipts
                                  WHERE anchor = ac.anchor AND tree_size >= p.position ORDER BY tree_size LIMIT 1) r ON true
                    ORDER BY p.position, r.anchor
                    """) { Parameters = { new() { Value = asked } } },
            },
        };
        LedgerHead head;
        var checkpoints = new Dictionary<long, CoveringCheckpoint>();
        var anchors = asked.ToDictionary(p => p, _ => new List<CoveringAnchorReceipt>());
        await using (var r = await batch.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            head = new LedgerHead(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2));
            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct)) checkpoints[r.GetInt64(0)] = new CoveringCheckpoint(r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2));
            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct))
                anchors[r.GetInt64(0)].Add(new CoveringAnchorReceipt(r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4)));
        }
        return new LedgerProofs(head, asked.ToDictionary(p => p, p => new PositionProof(p, checkpoints.GetValueOrDefault(p), anchors[p])));
    }
}
