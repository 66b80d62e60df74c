namespace AssetLedger.Application.Ports;

/// <summary>
/// One-time refresh tokens: each is redeemed at most once, and only before it expires or its user's sessions end
/// (<see cref="RevokeAll"/>). Each remembers the session version it was issued under, so the caller can refuse one a
/// later reset made stale even if revoking it failed.
/// </summary>
public interface IRefreshTokens
{
    Task<string> Issue(string login, string session, CancellationToken ct);

    /// <summary>The login and session the token was issued to, or null when it is unknown, used, revoked or expired.</summary>
    Task<RedeemedRefreshToken?> Redeem(string token, CancellationToken ct);

    /// <summary>Ends every refresh token of the login at once (a password reset, a disable, a role revocation, a suspension).</summary>
    Task RevokeAll(string login, CancellationToken ct);
}

public sealed record RedeemedRefreshToken(string Login, string? Session);
