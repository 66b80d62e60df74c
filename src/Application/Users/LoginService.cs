using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Users;

namespace AssetLedger.Application.Users;

/// <param name="Session">The session version the tokens issued now carry (<see cref="UserSessions.VersionOf"/>).</param>
public sealed record LoginResult(DomainError? Error, string? Login = null, ParticipantInfo? Participant = null, string? Session = null);

/// <summary>
/// Checks a login and password from a client address. Failures are counted per login and address and per address
/// (<see cref="LoginLimits"/>, in PostgreSQL so across instances): a stranger can slow its own guesses, never lock the
/// owner out from elsewhere. An unknown login and a wrong password give the same answer after the same work (an
/// unknown login is verified against a dummy hash, and counted like a known one), so logins cannot be probed by the
/// answer, its time or a lock.
/// </summary>
public sealed class LoginService(IEventStore store, IParticipantDirectory directory, IPasswordHasher hasher, ICredentialStore credentials, ILoginThrottle throttle)
{
    // A real hash of a random password: verifying against it costs what verifying a real credential costs.
    readonly Lazy<string> _dummyHash = new(() => hasher.Hash(Guid.NewGuid().ToString("N")));

    static DomainError Invalid() => new("auth.invalid_credentials", "The login or the password is wrong.", ErrorKind.Unauthenticated);

    public static readonly DomainError LoginBackOff = new("auth.login_backoff",
        $"Too many failed logins for this login from your address; wait (from {LoginLimits.FirstBackOff.TotalMinutes:0} minute, doubling with each further failure up to {LoginLimits.MaxBackOff.TotalMinutes:0}) and try again, or ask the operator to set a new password.",
        ErrorKind.TooManyRequests);

    public static readonly DomainError AddressBackOff = new("auth.too_many_failures",
        $"Too many failed logins from your address; wait up to {LoginLimits.AddressWindow.TotalMinutes:0} minute and try again.", ErrorKind.TooManyRequests);

    /// <summary>The refusal when this login (or any, when null) from this address must wait, else null.</summary>
    public async Task<DomainError?> Waiting(string? login, string address, CancellationToken ct) =>
        await throttle.Wait(login, address, ct) switch
        {
            null => null,
            { ByAddress: true } => AddressBackOff,
            _ => LoginBackOff,
        };

    /// <summary>A failure that names no login (an unknown refresh token) still counts against the address.</summary>
    public Task Failed(string address, CancellationToken ct) => throttle.Failed(null, address, ct);

    public async Task<LoginResult> Check(string login, string password, string address, CancellationToken ct)
    {
        if (await Waiting(login, address, ct) is { } wait) return new LoginResult(wait);
        var credential = await credentials.Find(login, ct);
        if (!hasher.Verify(credential?.Hash ?? _dummyHash.Value, password) || credential is null)
        {
            await throttle.Failed(login, address, ct);
            return new LoginResult(Invalid());
        }
        var user = await UserCommandHandler.Load(store, login, ct);
        if (!user.Exists) return new LoginResult(Invalid());
        if (user.Disabled) return new LoginResult(new DomainError("auth.user_disabled", "This user is disabled; ask your organisation's administrator or the operator.", ErrorKind.Forbidden));
        var participant = await directory.Find(user.Participant, ct);
        if (participant is null) return new LoginResult(Invalid());
        await throttle.Succeeded(login, address, ct);
        return new LoginResult(null, login, participant, UserSessions.VersionOf(user, participant));
    }
}
