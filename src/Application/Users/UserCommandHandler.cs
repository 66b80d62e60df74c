using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Users;
using AssetLedger.Ledger.Serialization;
using Mediator;

namespace AssetLedger.Application.Users;

/// <param name="ActorLogin">The acting user's login, so users may change their own password.</param>
/// <param name="Password">The new password for CreateUser and SetPassword; only its hash is kept, outside the event log.</param>
public sealed record ExecuteUserCommand(IUserCommand Command, string? ActorLogin, string? Password, CommandContext Context) : ICommand<CommandOutcome<UserState>>;

public sealed class UserCommandHandler(IEventStore store, IParticipantDirectory directory, IPasswordHasher hasher, ICredentialStore credentials)
    : ICommandHandler<ExecuteUserCommand, CommandOutcome<UserState>>
{
    public const int MinPasswordLength = 10;

    readonly CommandService<ExecuteUserCommand, UserState, IUserEvent> _commands = new(store, new()
    {
        Stream = r => UserDecider.StreamOf(r.Command.Login),
        Load = (r, ct) => Load(store, r.Command.Login, ct),
        Decide = (s, r) => UserDecider.Decide(s, r.Command, r.ActorLogin),
        Evolve = UserState.Evolve,
        Version = s => s.Version,
        Origin = r => (r.Command.Actor, r.Context with { User = r.ActorLogin }),
        Prepare = (r, ct) => ParticipantAndPassword(directory, r, ct),
        BeforeAppend = (r, ct) => StoreHash(hasher, credentials, r, ct),
        // No second attempt: the hash is already stored by then (a later change makes the two writes one).
        MaxAttempts = 1,
        Conflict = new DomainError("user.concurrency_conflict", "The account changed meanwhile; retry.", ErrorKind.Conflict),
    });

    public ValueTask<CommandOutcome<UserState>> Handle(ExecuteUserCommand request, CancellationToken ct) => _commands.Run(request, ct);

    public static Task<UserState> Load(IEventStore store, string login, CancellationToken ct) =>
        UserDecider.IsWellFormedLogin(login)
            ? EventStreams.Fold<UserState, IUserEvent>(store, UserDecider.StreamOf(login), UserState.Initial, UserState.Evolve, s => s.Version, ct)
            : Task.FromResult(UserState.Initial);

    static async Task<Result<ExecuteUserCommand>> ParticipantAndPassword(IParticipantDirectory directory, ExecuteUserCommand request, CancellationToken ct)
    {
        if (request.Command is CreateUser create && await directory.Find(create.Participant, ct) is null)
            return new DomainError("user.unknown_participant", $"participantId '{create.Participant}' is not a registered participant.", ErrorKind.Invalid, "participantId");
        if (NeedsPassword(request) && (request.Password is null || request.Password.Length < MinPasswordLength || request.Password.Length > 200))
            return UserErrors.Invalid("password", $"password must be {MinPasswordLength}–200 characters.");
        return request;
    }

    static bool NeedsPassword(ExecuteUserCommand request) => request.Command is CreateUser or SetPassword;

    // The hash is written before the events: a hash without a user is harmless, a user without its hash is not.
    static async Task<DomainError?> StoreHash(IPasswordHasher hasher, ICredentialStore credentials, ExecuteUserCommand request, CancellationToken ct) =>
        NeedsPassword(request) && !await credentials.SetPassword(request.Command.Login, hasher.Hash(request.Password!), createOnly: false, ct)
            ? new DomainError("user.exists", $"The login '{request.Command.Login}' is taken; choose another.", ErrorKind.Conflict, "login")
            : null;
}
