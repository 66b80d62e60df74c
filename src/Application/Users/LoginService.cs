using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Users;

public sealed record LoginResult(DomainError? Error, string? Login = null, ParticipantInfo? Participant = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Checks a login and password. Wrong passwords are counted per account (in PostgreSQL, so across instances); after
/// <see cref="MaxFailures"/> the account is locked for <see cref="LockFor"/> and says so. An unknown login and a wrong
/// password give the same answer after the same work (an unknown login is verified against a dummy hash), so logins
/// cannot be probed by the answer or by its time.
/// </summary>
public sealed class LoginService(IEventStore store, IParticipantDirectory directory, IPasswordHasher hasher, ICredentialStore credentials, IClock clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    // A real hash of a random password: verifying against it costs what verifying a real credential costs.
    readonly Lazy<string> _dummyHash = new(() => hasher.Hash(Guid.NewGuid().ToString("N")));

    static DomainError Invalid() => new("auth.invalid_credentials", "The login or the password is wrong.", ErrorKind.Unauthenticated);

    public async Task<LoginResult> Check(string login, string password, CancellationToken ct)
    {
        var credential = await credentials.Find(login, ct);
        if (credential is null)
        {
            hasher.Verify(_dummyHash.Value, password);
            return new LoginResult(Invalid());
        }
        if (credential.LockedUntil is { } until && until > clock.UtcNow)
            return new LoginResult(new DomainError("auth.account_locked",
                $"This account is locked after {MaxFailures} failed logins until {until:yyyy-MM-ddTHH:mm:ssZ}; wait, or ask the operator to set a new password.", ErrorKind.Locked), LockedUntil: until);
        if (!hasher.Verify(credential.Hash, password))
        {
            await credentials.RecordFailure(login, MaxFailures, LockFor, ct);
            return new LoginResult(Invalid());
        }
        var user = await UserCommandHandler.Load(store, login, ct);
        if (!user.Exists) return new LoginResult(Invalid());
        if (user.Disabled) return new LoginResult(new DomainError("auth.user_disabled", "This user is disabled; ask your organisation's administrator or the operator.", ErrorKind.Forbidden));
        var participant = await directory.Find(user.Participant, ct);
        if (participant is null) return new LoginResult(Invalid());
        await credentials.RecordSuccess(login, ct);
        return new LoginResult(null, login, participant);
    }
}
