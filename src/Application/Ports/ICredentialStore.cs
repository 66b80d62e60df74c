namespace AssetLedger.Application.Ports;

/// <summary>Salted, slow password hashes (ASP.NET Core Identity's PBKDF2 hasher in Infrastructure); never hand-rolled.</summary>
public interface IPasswordHasher
{
    string Hash(string password);
    bool Verify(string hash, string password);
}

/// <summary>
/// Credentials live outside the event log (a mutable table): an append-only, exportable log must never hold a
/// password hash. Failed logins are counted apart, per login and address (<see cref="ILoginThrottle"/>).
/// </summary>
public interface ICredentialStore
{
    Task<StoredCredential?> Find(string login, CancellationToken ct);
    /// <summary>Creates or replaces the hash; <paramref name="createOnly"/> refuses to replace one (returns false). A new user's login is claimed with <see cref="Claim"/>.</summary>
    Task<bool> SetPassword(string login, string hash, bool createOnly, CancellationToken ct);
    /// <summary>
    /// Claims a new login with its first hash, once: null when the login is taken (a user holds it, or another
    /// creation holds the claim until it ends). A credential left by an attempt that never recorded its user (no event
    /// in <paramref name="userStream"/>) is replaced, so no later creator inherits its password.
    /// </summary>
    Task<ILoginClaim?> Claim(string login, string userStream, string hash, CancellationToken ct);
    /// <summary>Forgets the login's credential (its user was released), so the login may be claimed again.</summary>
    Task Remove(string login, CancellationToken ct);
}

/// <summary>
/// A login claimed for a user being created. <see cref="Keep"/> once the user is recorded; disposing it without that
/// releases the login and its credential, as if never claimed (also when the process dies).
/// </summary>
public interface ILoginClaim : IAsyncDisposable
{
    Task Keep(CancellationToken ct);
}

public sealed record StoredCredential(string Login, string Hash);
