namespace AssetLedger.Application.Ports;

/// <summary>Salted, slow password hashes (ASP.NET Core Identity's PBKDF2 hasher in Infrastructure); never hand-rolled.</summary>
public interface IPasswordHasher
{
    string Hash(string password);
    bool Verify(string hash, string password);
}

/// <summary>
/// Credentials live outside the event log (a mutable table): an append-only, exportable log must never hold a
/// password hash. Failed logins are counted here, so an account locks across every API instance.
/// </summary>
public interface ICredentialStore
{
    Task<StoredCredential?> Find(string login, CancellationToken ct);
    /// <summary>Creates or replaces the hash; <paramref name="createOnly"/> refuses to replace one (returns false).</summary>
    Task<bool> SetPassword(string login, string hash, bool createOnly, CancellationToken ct);
    /// <summary>Counts a failure; locks the account for <paramref name="lockFor"/> once <paramref name="maxFailures"/> is reached.</summary>
    Task RecordFailure(string login, int maxFailures, TimeSpan lockFor, CancellationToken ct);
    Task RecordSuccess(string login, CancellationToken ct);
}

public sealed record StoredCredential(string Login, string Hash, int FailedAttempts, DateTimeOffset? LockedUntil);
