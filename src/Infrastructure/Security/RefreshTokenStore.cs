using System.Security.Cryptography;
using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Security;

/// <summary>Refresh tokens: 256 random bits handed out once; only their SHA-256 is stored; each is used once (rotation).</summary>
public sealed class RefreshTokenStore(NpgsqlDataSource db) : IRefreshTokens
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public async Task<string> Issue(string login, CancellationToken ct)
    {
        var token = Base64UrlToken();
        await using var cmd = db.CreateCommand("INSERT INTO refresh_tokens (token_hash, login, expires_at) VALUES ($1, $2, now() + $3)");
        cmd.Parameters.Add(new() { Value = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)) });
        cmd.Parameters.Add(new() { Value = login });
        cmd.Parameters.Add(new() { Value = Lifetime });
        await cmd.ExecuteNonQueryAsync(ct);
        return token;
    }

    /// <summary>Marks the token used and returns its login, or null when it is unknown, used or expired.</summary>
    public async Task<string?> Redeem(string token, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING login");
        cmd.Parameters.Add(new() { Value = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)) });
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    static string Base64UrlToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
