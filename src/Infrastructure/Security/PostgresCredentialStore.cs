using AssetLedger.Application.Ports;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace AssetLedger.Infrastructure.Security;

/// <summary>ASP.NET Core Identity's password hasher (PBKDF2-HMAC-SHA512, salted, 100,000 iterations in v3 format).</summary>
public sealed class IdentityPasswordHasher : Application.Ports.IPasswordHasher
{
    readonly PasswordHasher<object> _hasher = new();
    static readonly object User = new();

    public string Hash(string password) => _hasher.HashPassword(User, password);

    public bool Verify(string hash, string password) =>
        _hasher.VerifyHashedPassword(User, hash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;
}

public sealed class PostgresCredentialStore(NpgsqlDataSource db) : ICredentialStore
{
    public async Task<StoredCredential?> Find(string login, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT hash FROM credentials WHERE login = $1");
        cmd.Parameters.Add(new() { Value = login });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new StoredCredential(login, r.GetString(0));
    }

    public async Task<bool> SetPassword(string login, string hash, bool createOnly, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(createOnly
            ? "INSERT INTO credentials (login, hash) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            : """
              INSERT INTO credentials (login, hash) VALUES ($1, $2)
              ON CONFLICT (login) DO UPDATE SET hash = excluded.hash, failed_attempts = 0, locked_until = NULL, updated_at = now()
              """);
        cmd.Parameters.Add(new() { Value = login });
        cmd.Parameters.Add(new() { Value = hash });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<ILoginClaim?> Claim(string login, string userStream, string hash, CancellationToken ct)
    {
        var conn = await db.OpenConnectionAsync(ct);
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await conn.BeginTransactionAsync(ct);
            // The row stays uncommitted until the user is recorded: a rival creation of the same login waits on the
            // lock, then finds the user and refuses; a failed or dead attempt rolls back and leaves nothing.
            await using (var lockLogin = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('credentials:' || $1, 0))", conn, tx))
            {
                lockLogin.Parameters.Add(new() { Value = login });
                await lockLogin.ExecuteNonQueryAsync(ct);
            }
            // A separate statement, so its snapshot sees the user a previous holder of the lock recorded. A row with no
            // user is what an attempt that stored its hash and died left (before claims existed): never inherited.
            await using var claim = new NpgsqlCommand("""
                INSERT INTO credentials (login, hash) VALUES ($1, $2)
                ON CONFLICT (login) DO UPDATE SET hash = excluded.hash, failed_attempts = 0, locked_until = NULL, updated_at = now()
                WHERE NOT EXISTS (SELECT 1 FROM events WHERE stream_id = $3)
                """, conn, tx);
            claim.Parameters.Add(new() { Value = login });
            claim.Parameters.Add(new() { Value = hash });
            claim.Parameters.Add(new() { Value = userStream });
            if (await claim.ExecuteNonQueryAsync(ct) == 1) return new PendingClaim(conn, tx);
        }
        catch
        {
            if (tx is not null) await tx.DisposeAsync();
            await conn.DisposeAsync();
            throw;
        }
        await tx.DisposeAsync();
        await conn.DisposeAsync();
        return null;
    }

    public async Task Remove(string login, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM credentials WHERE login = $1");
        cmd.Parameters.Add(new() { Value = login });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    sealed class PendingClaim(NpgsqlConnection conn, NpgsqlTransaction tx) : ILoginClaim
    {
        public Task Keep(CancellationToken ct) => tx.CommitAsync(ct);

        // Not kept: the transaction rolls back, releasing the login and the lock.
        public async ValueTask DisposeAsync()
        {
            await tx.DisposeAsync();
            await conn.DisposeAsync();
        }
    }
}
