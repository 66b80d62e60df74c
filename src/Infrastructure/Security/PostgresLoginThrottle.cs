using AssetLedger.Application.Ports;
using AssetLedger.Domain.Users;
using Npgsql;

namespace AssetLedger.Infrastructure.Security;

/// <summary><see cref="ILoginThrottle"/> on the <c>login_failures</c> table; each count is one atomic upsert, so concurrent failures on several instances all count.</summary>
public sealed class PostgresLoginThrottle(NpgsqlDataSource db) : ILoginThrottle
{
    const string AddressRow = "";

    public async Task<LoginWait?> Wait(string? login, string address, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT blocked_until, login = '' FROM login_failures
            WHERE address = $2 AND login IN ($1, '') AND blocked_until > now()
            ORDER BY login = '' DESC, blocked_until DESC LIMIT 1
            """);
        cmd.Parameters.Add(new() { Value = login ?? AddressRow });
        cmd.Parameters.Add(new() { Value = address });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new LoginWait(r.GetFieldValue<DateTimeOffset>(0), r.GetBoolean(1)) : null;
    }

    public async Task Failed(string? login, string address, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        // The address's window: restart it when it has run out; once over the limit the address waits until it ends.
        batch.BatchCommands.Add(Command("""
            INSERT INTO login_failures AS f (login, address, failures) VALUES ('', $1, 1)
            ON CONFLICT (login, address) DO UPDATE SET
                failures = CASE WHEN f.window_start <= now() - $2 THEN 1 ELSE f.failures + 1 END,
                window_start = CASE WHEN f.window_start <= now() - $2 THEN now() ELSE f.window_start END,
                last_failure = now(),
                blocked_until = CASE WHEN f.window_start > now() - $2 AND f.failures + 1 >= $3 THEN f.window_start + $2 END
            """, address, LoginLimits.AddressWindow, LoginLimits.FailuresPerAddress));
        if (!string.IsNullOrEmpty(login))
            // The login from this address: after FailuresBeforeBackOff the wait starts at FirstBackOff and doubles, up to MaxBackOff.
            batch.BatchCommands.Add(Command("""
                INSERT INTO login_failures AS f (login, address, failures, blocked_until)
                VALUES ($1, $2, 1, CASE WHEN 1 >= $3 THEN now() + $4 END)
                ON CONFLICT (login, address) DO UPDATE SET
                    failures = CASE WHEN f.last_failure <= now() - $6 THEN 1 ELSE f.failures + 1 END,
                    last_failure = now(),
                    blocked_until = CASE WHEN f.last_failure > now() - $6 AND f.failures + 1 >= $3
                        THEN now() + LEAST($4 * power(2, f.failures + 1 - $3), $5) END
                """, login, address, LoginLimits.FailuresBeforeBackOff, LoginLimits.FirstBackOff, LoginLimits.MaxBackOff, LoginLimits.ForgetAfter));
        await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task Succeeded(string login, string address, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM login_failures WHERE login = $1 AND address = $2");
        cmd.Parameters.Add(new() { Value = login });
        cmd.Parameters.Add(new() { Value = address });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        return cmd;
    }
}
