using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Users;

/// <summary>
/// A person who logs in on behalf of one participant (stream <c>user-{login}</c>). The password hash is not an event:
/// an append-only, exportable log must never hold a credential, so events record only that the password was set.
/// </summary>
public interface IUserEvent
{
    string Login { get; }
    DateTimeOffset At { get; }
}

[StoredEvent("user-created")]
public sealed record UserCreated(string Login, ParticipantId Participant, string DisplayName, ParticipantId By, DateTimeOffset At) : IUserEvent;

[StoredEvent("user-password-set")]
public sealed record UserPasswordSet(string Login, ParticipantId By, DateTimeOffset At) : IUserEvent;

[StoredEvent("user-disabled")]
public sealed record UserDisabled(string Login, string Reason, ParticipantId By, DateTimeOffset At) : IUserEvent;

[StoredEvent("user-enabled")]
public sealed record UserEnabled(string Login, ParticipantId By, DateTimeOffset At) : IUserEvent;

/// <summary>
/// The user no longer belongs to its participant (its application was rejected): it cannot log in, and its login may
/// be created again, for whoever applies next.
/// </summary>
[StoredEvent("user-released")]
public sealed record UserReleased(string Login, ParticipantId Participant, string Reason, ParticipantId By, DateTimeOffset At) : IUserEvent;

public static class UserEventTypes
{
    public static readonly IReadOnlyList<Type> All = [typeof(UserCreated), typeof(UserPasswordSet), typeof(UserDisabled), typeof(UserEnabled), typeof(UserReleased)];
}

public sealed record UserState
{
    public static readonly UserState Initial = new();
    public string Login { get; init; } = "";
    public ParticipantId Participant { get; init; }
    public string DisplayName { get; init; } = "";
    public bool Disabled { get; init; }
    /// <summary>Released from its participant: the login is free again until a new user is created under it.</summary>
    public bool Released { get; init; }
    /// <summary>
    /// Grows with every event that ends the user's sessions (created, password set, disabled, released) and never goes
    /// back, so a token issued before any of them never matches again, not even after the login is created anew.
    /// </summary>
    public long SessionVersion { get; init; }
    public long Version { get; init; }
    public bool Exists => Version > 0 && !Released;

    public static UserState Evolve(UserState s, IUserEvent e) => (e switch
    {
        UserCreated c => s with { Login = c.Login, Participant = c.Participant, DisplayName = c.DisplayName, Disabled = false, Released = false, SessionVersion = s.SessionVersion + 1 },
        UserPasswordSet => s with { SessionVersion = s.SessionVersion + 1 },
        UserDisabled => s with { Disabled = true, SessionVersion = s.SessionVersion + 1 },
        UserEnabled => s with { Disabled = false },
        UserReleased => s with { Released = true, SessionVersion = s.SessionVersion + 1 },
        _ => throw new InvalidOperationException($"No fold for {e.GetType().Name}."),
    }) with { Version = s.Version + 1 };
}

public interface IUserCommand
{
    string Login { get; }
    Actor Actor { get; }
    DateTimeOffset At { get; }
}

public sealed record CreateUser(string Login, ParticipantId Participant, string DisplayName, Actor Actor, DateTimeOffset At) : IUserCommand;
public sealed record SetPassword(string Login, Actor Actor, DateTimeOffset At) : IUserCommand;
public sealed record DisableUser(string Login, string Reason, Actor Actor, DateTimeOffset At) : IUserCommand;
public sealed record EnableUser(string Login, Actor Actor, DateTimeOffset At) : IUserCommand;
/// <summary>The operator's rejection of an application releases its users (ParticipantCommandHandler).</summary>
public sealed record ReleaseUser(string Login, string Reason, Actor Actor, DateTimeOffset At) : IUserCommand;

/// <summary>
/// Account management: the operator manages every account; a participant manages its own users.
/// <paramref name="actorLogin"/> is the acting user, so a user may always change their own password.
/// </summary>
public static class UserDecider
{
    public static string StreamOf(string login) => $"user-{login}";

    public static bool IsWellFormedLogin(string? login) =>
        !string.IsNullOrEmpty(login) && login.Length is >= UserLimits.LoginMin and <= UserLimits.LoginMax &&
        login.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '@');

    public static Decision<IUserEvent> Decide(UserState s, IUserCommand c, string? actorLogin)
    {
        if (c is CreateUser create)
        {
            if (!IsWellFormedLogin(create.Login)) return Fail(UserErrors.Invalid("login", "login must be 3–64 characters of lower-case letters, digits, '-', '_', '.' or '@'."));
            if (string.IsNullOrWhiteSpace(create.DisplayName) || create.DisplayName.Length > UserLimits.DisplayName)
                return Fail(UserErrors.Invalid("displayName", $"displayName is required (1–{UserLimits.DisplayName} characters)."));
            if (!c.Actor.Has(Role.Operator) && c.Actor.Id != create.Participant) return Fail(UserErrors.NotPermitted(c.Actor.Id, create.Participant));
            if (s.Exists) return Fail(new DomainError("user.exists", $"The login '{create.Login}' is taken; choose another.", ErrorKind.Conflict, "login"));
            return Ok(new UserCreated(create.Login, create.Participant, create.DisplayName.Trim(), c.Actor.Id, c.At), new UserPasswordSet(create.Login, c.Actor.Id, c.At));
        }
        if (!s.Exists) return Fail(new DomainError("user.not_found", $"No user '{c.Login}'.", ErrorKind.NotFound));
        var self = actorLogin == s.Login;
        if (!self && !c.Actor.Has(Role.Operator) && c.Actor.Id != s.Participant) return Fail(UserErrors.NotPermitted(c.Actor.Id, s.Participant));
        return c switch
        {
            SetPassword => Ok(new UserPasswordSet(s.Login, c.Actor.Id, c.At)),
            DisableUser d when s.Disabled => Fail(new DomainError("user.already_disabled", $"'{s.Login}' is already disabled.", ErrorKind.Conflict)),
            DisableUser d when self => Fail(UserErrors.Invalid("login", "A user cannot disable their own account.")),
            DisableUser d when d.Reason.Length > UserLimits.Reason => Fail(UserErrors.Invalid("reason", $"reason is at most {UserLimits.Reason} characters.")),
            DisableUser d => Ok(new UserDisabled(s.Login, d.Reason, c.Actor.Id, c.At)),
            EnableUser when !s.Disabled => Fail(new DomainError("user.not_disabled", $"'{s.Login}' is not disabled.", ErrorKind.Conflict)),
            EnableUser => Ok(new UserEnabled(s.Login, c.Actor.Id, c.At)),
            ReleaseUser when !c.Actor.Has(Role.Operator) => Fail(new DomainError("user.not_permitted", "Only the operator releases a user, by rejecting its application.", ErrorKind.Forbidden)),
            ReleaseUser r => Ok(new UserReleased(s.Login, s.Participant, r.Reason, c.Actor.Id, c.At)),
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.GetType().Name, "No decision for this command."),
        };
    }

    static Decision<IUserEvent> Fail(DomainError e) => e;
    static Decision<IUserEvent> Ok(params IUserEvent[] events) => Decision<IUserEvent>.Of(events);
}

public static class UserErrors
{
    public static DomainError Invalid(string field, string message) => new("user.invalid", message, ErrorKind.Invalid, field);
    public static DomainError NotPermitted(ParticipantId actor, ParticipantId owner) =>
        new("user.not_permitted", $"{actor} may not manage the accounts of {owner}; the operator or {owner} itself does.", ErrorKind.Forbidden);
}
