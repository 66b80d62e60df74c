namespace AssetLedger.Application.Ports;

/// <summary>One-time refresh tokens: each is redeemed at most once, and only before it expires.</summary>
public interface IRefreshTokens
{
    Task<string> Issue(string login, CancellationToken ct);

    /// <summary>The login the token was issued to, or null when it is unknown, used or expired.</summary>
    Task<string?> Redeem(string token, CancellationToken ct);
}
