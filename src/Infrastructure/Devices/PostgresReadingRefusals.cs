using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Devices;

/// <summary><see cref="IReadingRefusals"/> on <c>device_reading_refusals</c>: one atomic upsert per reason, so every instance's refusals add up.</summary>
public sealed class PostgresReadingRefusals(NpgsqlDataSource db) : IReadingRefusals
{
    public async Task Count(string device, IReadOnlyDictionary<string, int> byReason, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO device_reading_refusals AS r (device, reason, refused)
            SELECT $1, reason, n FROM unnest($2::text[], $3::bigint[]) AS x(reason, n)
            ON CONFLICT (device, reason) DO UPDATE SET refused = r.refused + excluded.refused, last_at = now()
            """);
        cmd.Parameters.Add(new() { Value = device });
        cmd.Parameters.Add(new() { Value = byReason.Keys.ToArray() });
        cmd.Parameters.Add(new() { Value = byReason.Values.Select(v => (long)v).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyDictionary<string, long>> Of(string device, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT reason, refused FROM device_reading_refusals WHERE device = $1 ORDER BY reason");
        cmd.Parameters.Add(new() { Value = device });
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) counts[r.GetString(0)] = r.GetInt64(1);
        return counts;
    }
}
