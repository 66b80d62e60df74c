using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Users;
using AssetLedger.Ledger.Serialization;
using Mediator;

namespace AssetLedger.Application.Users;

/// <param name="ActorLogin">The acting user's login, so users may change their own password.</param>
/// <param name="Password">The new password for CreateUser and SetPassword; only its hash is kept, outside the event log.</param>
/// <param name="Claimed">The new user's login, already claimed by the caller (an application), who keeps or releases it.</param>
public sealed record ExecuteUserCommand(IUserCommand Command, string? ActorLogin, string? Password, CommandContext Context, ILoginClaim? Claimed = null) : ICommand<CommandOutcome<UserState>>;

public sealed class UserCommandHandler(IEventStore store, IParticipantDirectory directory, IPasswordHasher hasher, ICredentialStore credentials, IRefreshTokens refresh)
    : ICommandHandler<ExecuteUserCommand, CommandOutcome<UserState>>
{
    readonly CommandService<ExecuteUserCommand, UserState, IUserEvent> _updates = new(store, Table(store, directory, (r, ct) => StoreHash(hasher, credentials, r, ct)));

    public async ValueTask<CommandOutcome<UserState>> Handle(ExecuteUserCommand request, CancellationToken ct)
    {
        if (request.Command is not CreateUser create)
        {
            var updated = await _updates.Run(request, ct);
            // A new password or a disable ends the user's sessions: its access tokens by the version the event bumped,
            // its refresh tokens here.
            if (updated.Error is null && request.Command is SetPassword or DisableUser) await refresh.RevokeAll(request.Command.Login, ct);
            return updated;
        }
        if (request.Claimed is not null)
            return await new CommandService<ExecuteUserCommand, UserState, IUserEvent>(store, Table(store, directory, (_, _) => Task.FromResult<DomainError?>(null))).Run(request, ct);
        // The login is claimed with its credential before the user is recorded, and kept only once it is: a rival
        // creation of the same login waits for the claim, then finds the user and refuses, changing nothing.
        ILoginClaim? claim = null;
        try
        {
            var creation = new CommandService<ExecuteUserCommand, UserState, IUserEvent>(store, Table(store, directory, async (r, ct) =>
            {
                claim = await credentials.Claim(create.Login, UserDecider.StreamOf(create.Login), hasher.Hash(r.Password!), ct);
                return claim is null ? Taken(create.Login) : null;
            }));
            var outcome = await creation.Run(request, ct);
            // If keeping fails after the append, the user exists without a password: the operator sets one.
            if (outcome.Error is null && claim is not null) await claim.Keep(ct);
            return outcome;
        }
        finally
        {
            if (claim is not null) await claim.DisposeAsync();
        }
    }

    internal static CommandTable<ExecuteUserCommand, UserState, IUserEvent> Table(IEventStore store, IParticipantDirectory directory,
        Func<ExecuteUserCommand, CancellationToken, Task<DomainError?>> beforeAppend) => new()
    {
        Stream = r => UserDecider.StreamOf(r.Command.Login),
        Load = (r, ct) => Load(store, r.Command.Login, ct),
        Decide = (s, r) => UserDecider.Decide(s, r.Command, r.ActorLogin),
        Evolve = UserState.Evolve,
        Version = s => s.Version,
        Origin = r => (r.Command.Actor, r.Context with { User = r.ActorLogin }),
        Prepare = (r, ct) => ParticipantAndPassword(directory, r, ct),
        BeforeAppend = beforeAppend,
        // No second attempt: the credential is written (or claimed) by then.
        MaxAttempts = 1,
        Conflict = new DomainError("user.concurrency_conflict", "The account changed meanwhile; retry.", ErrorKind.Conflict),
    };

    static DomainError Taken(string login) => new("user.exists", $"The login '{login}' is taken; choose another.", ErrorKind.Conflict, "login");

    public static Task<UserState> Load(IEventStore store, string login, CancellationToken ct) =>
        UserDecider.IsWellFormedLogin(login)
            ? EventStreams.Fold<UserState, IUserEvent>(store, UserDecider.StreamOf(login), UserState.Initial, UserState.Evolve, s => s.Version, ct)
            : Task.FromResult(UserState.Initial);

    static async Task<Result<ExecuteUserCommand>> ParticipantAndPassword(IParticipantDirectory directory, ExecuteUserCommand request, CancellationToken ct)
    {
        if (request.Command is CreateUser create && await directory.Find(create.Participant, ct) is null)
            return new DomainError("user.unknown_participant", $"participantId '{create.Participant}' is not a registered participant.", ErrorKind.Invalid, "participantId");
        if (NeedsPassword(request) && UserLimits.Password(request.Password, "password") is { } bad) return bad;
        return request;
    }

    static bool NeedsPassword(ExecuteUserCommand request) => request.Command is CreateUser or SetPassword;

    // A new password for an existing user is written before its event: the user was decided to exist, so this
    // replaces its own credential (a new user's login is claimed instead, in Handle).
    static async Task<DomainError?> StoreHash(IPasswordHasher hasher, ICredentialStore credentials, ExecuteUserCommand request, CancellationToken ct) =>
        NeedsPassword(request) && !await credentials.SetPassword(request.Command.Login, hasher.Hash(request.Password!), createOnly: false, ct)
            ? Taken(request.Command.Login)
            : null;
}
