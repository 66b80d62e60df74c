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
    /// <summary>Creates or replaces the hash; <paramref name="createOnly"/> refuses to replace one (returns false).</summary>
    Task<bool> SetPassword(string login, string hash, bool createOnly, CancellationToken ct);
}

public sealed record StoredCredential(string Login, string Hash);
