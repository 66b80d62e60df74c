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
}
