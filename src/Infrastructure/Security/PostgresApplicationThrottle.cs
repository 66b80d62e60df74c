using AssetLedger.Application.Ports;
using AssetLedger.Domain.Participants;
using Npgsql;

namespace AssetLedger.Infrastructure.Security;

/// <summary>
/// <see cref="IApplicationThrottle"/> on the <c>application_attempts</c> table: one fixed window per address, counted by
/// one atomic upsert, so concurrent applications on several instances all count and none slips past the limit.
/// </summary>
public sealed class PostgresApplicationThrottle(NpgsqlDataSource db) : IApplicationThrottle
{
    public async Task<DateTimeOffset?> Take(string address, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO application_attempts AS a (address, attempts, window_start) VALUES ($1, 1, now())
            ON CONFLICT (address) DO UPDATE SET
                attempts = CASE WHEN a.window_start <= now() - $2 THEN 1 ELSE a.attempts + 1 END,
                window_start = CASE WHEN a.window_start <= now() - $2 THEN now() ELSE a.window_start END
            RETURNING attempts, window_start + $2
            """);
        cmd.Parameters.Add(new() { Value = address });
        cmd.Parameters.Add(new() { Value = ApplicationLimits.Window });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return r.GetInt32(0) > ApplicationLimits.PerAddress ? r.GetFieldValue<DateTimeOffset>(1) : null;
    }
}
