using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Chains;

/// <summary>What the anchor worker has recorded for named targets: cursor and deployed contract, one query for all of them.</summary>
public sealed class ChainTargetStatus(NpgsqlDataSource db) : IChainTargetStatus
{
    public async Task<IReadOnlyDictionary<string, TargetStatus>> Of(IReadOnlyList<string> anchors, CancellationToken ct)
    {
        if (anchors.Count == 0) return new Dictionary<string, TargetStatus>();
        await using var cmd = db.CreateCommand("""
            SELECT n.anchor, c.last_size, c.failures, c.last_error, c.failing_since, e.contract_address
            FROM unnest($1::text[]) AS n(anchor)
            LEFT JOIN anchor_cursors c ON c.anchor = n.anchor
            LEFT JOIN evm_contracts e ON e.anchor = n.anchor
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = anchors.ToArray() });
        var result = new Dictionary<string, TargetStatus>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            result[r.GetString(0)] = new TargetStatus(r.GetString(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt32(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetString(5));
        return result;
    }
}
