using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Devices;

/// <summary>
/// <see cref="IDeviceDirectory"/> on the log itself: a device exists once its <c>device-registered</c> event (its stream's
/// first) is logged; the index of migration 0028 lists them in id order.
/// </summary>
public sealed class PostgresDeviceDirectory(NpgsqlDataSource db) : IDeviceDirectory
{
    const string Prefix = "device-";

    public async Task<IReadOnlyList<string>> Page(string after, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT stream_id FROM events
            WHERE type = 'device-registered' AND stream_id COLLATE "C" > $1 COLLATE "C"
            ORDER BY stream_id COLLATE "C" LIMIT $2
            """);
        cmd.Parameters.Add(new() { Value = Prefix + after });
        cmd.Parameters.Add(new() { Value = limit });
        var ids = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) ids.Add(r.GetString(0)[Prefix.Length..]);
        return ids;
    }
}
