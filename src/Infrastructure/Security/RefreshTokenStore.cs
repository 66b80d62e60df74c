using System.Security.Cryptography;
using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Security;

/// <summary>
/// Refresh tokens: 256 random bits handed out once; only their SHA-256 is stored, with the session version they were
/// issued under; each is used once (rotation), and all of a login's end together when its sessions do.
/// </summary>
public sealed class RefreshTokenStore(NpgsqlDataSource db) : IRefreshTokens
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public async Task<string> Issue(string login, string session, CancellationToken ct)
    {
        var token = Base64UrlToken();
        await using var cmd = db.CreateCommand("INSERT INTO refresh_tokens (token_hash, login, expires_at, session) VALUES ($1, $2, now() + $3, $4)");
        cmd.Parameters.Add(new() { Value = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)) });
        cmd.Parameters.Add(new() { Value = login });
        cmd.Parameters.Add(new() { Value = Lifetime });
        cmd.Parameters.Add(new() { Value = session });
        await cmd.ExecuteNonQueryAsync(ct);
        return token;
    }

    /// <summary>Marks the token used and returns its login and session, or null when it is unknown, used, revoked or expired.</summary>
    public async Task<RedeemedRefreshToken?> Redeem(string token, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING login, session");
        cmd.Parameters.Add(new() { Value = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)) });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new RedeemedRefreshToken(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)) : null;
    }

    /// <summary>One statement over the login's index: every unused token of the login is spent, on every instance at once.</summary>
    public async Task RevokeAll(string login, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE refresh_tokens SET used_at = now() WHERE login = $1 AND used_at IS NULL");
        cmd.Parameters.Add(new() { Value = login });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    static string Base64UrlToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
