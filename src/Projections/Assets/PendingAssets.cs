using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using Dapper;
using Npgsql;

namespace AssetLedger.Projections.Assets;

/// <summary>The expiry sweep's candidates, on the partial index assets_pending_since (0005_pending_since.sql).</summary>
sealed class PendingAssets(NpgsqlDataSource db) : IPendingAssets
{
    public async Task<IReadOnlyList<AssetId>> PendingAtOrBefore(IReadOnlyDictionary<AssetKind, DateTimeOffset> cutoffs, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var ids = await conn.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT a.asset_id FROM assets a JOIN unnest(@kinds, @cutoffs) AS c(kind, cutoff) ON a.kind = c.kind
            WHERE a.status = 'Pending' AND a.pending_since <= c.cutoff
            ORDER BY a.pending_since, a.asset_id LIMIT @limit
            """,
            new { kinds = cutoffs.Keys.Select(k => k.ToString()).ToArray(), cutoffs = cutoffs.Values.Select(v => v.UtcDateTime).ToArray(), limit },
            cancellationToken: ct));
        return ids.Select(id => new AssetId(id)).ToList();
    }
}
