using AssetLedger.Application.Assets;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Users;
using AssetLedger.Ledger.Serialization;
using Mediator;

namespace AssetLedger.Application.Users;

/// <param name="ActorLogin">The acting user's login, so users may change their own password.</param>
/// <param name="Password">The new password for CreateUser and SetPassword; only its hash is kept, outside the event log.</param>
public sealed record ExecuteUserCommand(IUserCommand Command, string? ActorLogin, string? Password, CommandContext Context) : ICommand<UserOutcome>;

public sealed record UserOutcome(DomainError? Error, UserState? State = null);

public sealed class UserCommandHandler(IEventStore store, IParticipantDirectory directory, IPasswordHasher hasher, ICredentialStore credentials)
    : ICommandHandler<ExecuteUserCommand, UserOutcome>
{
    public const int MinPasswordLength = 10;

    public async ValueTask<UserOutcome> Handle(ExecuteUserCommand request, CancellationToken ct)
    {
        var c = request.Command;
        if (c is CreateUser create && await directory.Find(create.Participant, ct) is null)
            return new UserOutcome(new DomainError("user.unknown_participant", $"participantId '{create.Participant}' is not a registered participant.", ErrorKind.Invalid, "participantId"));
        var needsPassword = c is CreateUser or SetPassword;
        if (needsPassword && (request.Password is null || request.Password.Length < MinPasswordLength || request.Password.Length > 200))
            return new UserOutcome(UserErrors.Invalid("password", $"password must be {MinPasswordLength}–200 characters."));

        var state = await Load(store, c.Login, ct);
        var (events, error) = UserDecider.Decide(state, c, request.ActorLogin);
        if (error is not null) return new UserOutcome(error);
        // The hash is written before the events: a hash without a user is harmless, a user without its hash is not.
        if (needsPassword && !await credentials.SetPassword(c.Login, hasher.Hash(request.Password!), createOnly: false, ct))
            return new UserOutcome(new DomainError("user.exists", $"The login '{c.Login}' is taken; choose another.", ErrorKind.Conflict, "login"));
        var append = AssetStreams.ToAppend(events, c.Actor, request.Context with { User = request.ActorLogin });
        var result = await store.Append(new AppendRequest(UserDecider.StreamOf(c.Login), state.Version, append), ct);
        if (!result.Succeeded) return new UserOutcome(new DomainError("user.concurrency_conflict", "The account changed meanwhile; retry.", ErrorKind.Conflict));
        return new UserOutcome(null, events.Aggregate(state, UserState.Evolve));
    }

    public static async Task<UserState> Load(IEventStore store, string login, CancellationToken ct)
    {
        if (!UserDecider.IsWellFormedLogin(login)) return UserState.Initial;
        var events = await store.ReadStream(UserDecider.StreamOf(login), 1, 10_000, ct);
        return events.Aggregate(UserState.Initial, (s, e) => UserState.Evolve(s, (IUserEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data)));
    }
}
