using System.Data;
using AssetLedger.Projections.Assets;
using AssetLedger.Projections.Trace;
using Dapper;
using Npgsql;

namespace AssetLedger.Projections.Registry;

/// <summary>The public registry search: one asset by its natural key, with its open locks, in one snapshot.</summary>
public sealed class RegistryQueries(NpgsqlDataSource db)
{
    /// <returns>The record (null if no asset has this key) and the log position the read models include.</returns>
    public async Task<(RegistryRecord? Record, long ProjectedThrough)> Find(string naturalKey, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(
            $"""
            {TraceQueries.SnapshotSql}
            SELECT {AssetQueries.Columns} FROM assets WHERE natural_key = @key;
            SELECT e.placed_position AS "Id", e.kind AS "Kind", e.freeze_id AS "FreezeId", e.placed_by AS "PlacedBy", e.counterparty_id AS "CounterpartyId",
                   e.authority AS "Authority", e.purpose AS "Purpose", e.reason AS "Reason", e.placed_at AS "PlacedAt"
            FROM assets a JOIN encumbrances e ON e.asset_id = a.asset_id AND e.lifted_position IS NULL
            WHERE a.natural_key = @key ORDER BY e.placed_position;
            SELECT c.participant_id FROM assets a JOIN confirmations c ON c.asset_id = a.asset_id WHERE a.natural_key = @key;
            """, new { key = naturalKey }, tx, cancellationToken: ct));
        var snapshot = await grid.ReadSingleAsync<TraceQueries.SnapshotRow>();
        var asset = await grid.ReadSingleOrDefaultAsync<AssetView>();
        var locks = (await grid.ReadAsync<EncumbranceView>()).AsList();
        var confirmers = (await grid.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal);
        if (asset is null)
        {
            await tx.CommitAsync(ct);
            return (null, snapshot.ProjectedThrough);
        }
        var people = await TraceQueries.Participants(conn, tx,
            locks.SelectMany(l => new[] { l.PlacedBy, l.CounterpartyId }).OfType<string>().Append(asset.OwnerId), ct);
        await tx.CommitAsync(ct);
        return (new RegistryRecord(asset, locks, confirmers, people), snapshot.ProjectedThrough);
    }
}
