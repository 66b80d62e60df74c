namespace AssetLedger.Application.Ports;

/// <summary>
/// Failed logins counted per (login, client address) and per address, in the database so that every API instance
/// sees the same counts (limits in <c>Domain.Users.LoginLimits</c>).
/// </summary>
public interface ILoginThrottle
{
    /// <summary>Why this login from this address must wait now, or null when it may try.</summary>
    Task<LoginWait?> Wait(string? login, string address, CancellationToken ct);
    /// <summary>Counts a failure for the address, and for the login from that address when one was named.</summary>
    Task Failed(string? login, string address, CancellationToken ct);
    /// <summary>A correct password clears the login's failures from that address.</summary>
    Task Succeeded(string login, string address, CancellationToken ct);
}

/// <param name="ByAddress">The address as a whole is over its limit (not only this login from it).</param>
public sealed record LoginWait(DateTimeOffset Until, bool ByAddress);
