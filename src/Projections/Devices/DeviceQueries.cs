using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using Dapper;
using Npgsql;

namespace AssetLedger.Projections.Devices;

/// <summary>A device as the read model lists it; its exact state (counter, readings, retired keys) is its stream (DeviceReader).</summary>
public sealed record DeviceSummary(string Id, string HostId, string Kind, string Site, string Make, string Status, string KeyId, string? ConfirmedBy,
    IReadOnlyList<string> WatchedAssetIds, DateTimeOffset RegisteredAt, long LastPosition);

/// <param name="NextCursor">Pass back for the next page; null on the last page.</param>
public sealed record DevicePage(IReadOnlyList<DeviceSummary> Items, string? NextCursor);

/// <summary>
/// Lists of the devices read model, in device id order, cut to the devices the viewer may see under the rule
/// DeviceReader.Visible applies to one device: its host, whoever confirmed its current key, a venue holding a watched
/// asset, a regulator, the operator.
/// </summary>
public sealed class DeviceQueries(NpgsqlDataSource db)
{
    public const int MaxLimit = 500;
    const string ListName = "devices";

    /// <param name="host">Only devices this warehouse hosts; null for all the viewer may see.</param>
    /// <param name="asset">Only devices watching this asset.</param>
    /// <exception cref="InvalidCursorException">The cursor is not one this list gave out.</exception>
    public async Task<DevicePage> List(Actor viewer, string? host, DeviceStatus? status, Guid? asset, string? cursor, int limit, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        var after = Cursor.Decode(ListName, cursor);
        var everyone = viewer.Has(Role.Operator) || viewer.Has(Role.Regulator);
        var where = new List<string>();
        if (!everyone)
            where.Add("(d.host_id = @me OR d.confirmed_by = @me OR EXISTS (SELECT 1 FROM assets a WHERE a.asset_id = ANY(d.watched) AND a.venue_id = @me))");
        if (host is not null) where.Add("d.host_id = @host");
        if (status is not null) where.Add("d.status = @status");
        if (asset is not null) where.Add("d.watched @> ARRAY[@asset]");
        if (after is not null) where.Add("d.device_id > @after");
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition($"""
            SELECT device_id AS "Id", host_id AS "HostId", kind AS "Kind", site AS "Site", make AS "Make", status AS "Status", key_id AS "KeyId",
                   confirmed_by AS "ConfirmedBy", watched AS "Watched", registered_at AS "RegisteredAt", last_position AS "LastPosition"
            FROM devices d {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))} ORDER BY d.device_id LIMIT @take
            """, new { me = viewer.Id.Value, host, status = status?.ToString(), asset, after, take = limit + 1 }, cancellationToken: ct))).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = Cursor.Encode(ListName, rows[^1].Id);
        }
        return new DevicePage(rows.Select(r => r.ToSummary()).ToList(), next);
    }

    sealed record Row
    {
        public string Id { get; init; } = "";
        public string HostId { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Site { get; init; } = "";
        public string Make { get; init; } = "";
        public string Status { get; init; } = "";
        public string KeyId { get; init; } = "";
        public string? ConfirmedBy { get; init; }
        public Guid[] Watched { get; init; } = [];
        public DateTimeOffset RegisteredAt { get; init; }
        public long LastPosition { get; init; }
        public DeviceSummary ToSummary() => new(Id, HostId, Kind, Site, Make, Status, KeyId, ConfirmedBy, [.. Watched.Select(g => g.ToString("N"))], RegisteredAt, LastPosition);
    }
}
