using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Users;
using Mediator;

namespace AssetLedger.Application.Participants;

/// <summary>An anonymous application: the organisation (<paramref name="Apply"/>) and its first user, who administers it.</summary>
public sealed record SubmitApplication(ApplyAsParticipant Apply, string AdminLogin, string AdminName, string AdminPassword, CommandContext Context)
    : ICommand<CommandOutcome<ParticipantState>>;

/// <summary>
/// Checks the whole application before writing anything, then claims the admin's login (with its credential) before
/// the participant is recorded, so an application that loses its login to a rival records nothing.
/// </summary>
public sealed class ParticipantApplicationHandler(IEventStore store, IParticipantDirectory directory, IPasswordHasher hasher, ICredentialStore credentials,
    IRefreshTokens refresh, UserSessions sessions) : ICommandHandler<SubmitApplication, CommandOutcome<ParticipantState>>
{
    readonly ParticipantCommandHandler _participants = new(store, sessions);
    readonly UserCommandHandler _users = new(store, directory, hasher, credentials, refresh);

    public async ValueTask<CommandOutcome<ParticipantState>> Handle(SubmitApplication request, CancellationToken ct)
    {
        var apply = request.Apply;
        var admin = new CreateUser(request.AdminLogin, apply.Participant, request.AdminName, apply.Actor, apply.At);
        if (Check(request, admin) is { } invalid) return CommandOutcome<ParticipantState>.Failed(invalid);
        var state = await ParticipantDirectory.Load(store, apply.Participant, ct);
        if (ParticipantDecider.Decide(state, apply).Error is { } refused) return CommandOutcome<ParticipantState>.Failed(refused, state.Version);

        await using var claim = await credentials.Claim(admin.Login, UserDecider.StreamOf(admin.Login), hasher.Hash(request.AdminPassword), ct);
        if (claim is null) return CommandOutcome<ParticipantState>.Failed(Taken(admin.Login));
        var applied = await _participants.Handle(new ExecuteParticipantCommand(apply, request.Context), ct);
        if (applied.Error is not null) return applied;
        var user = await _users.Handle(new ExecuteUserCommand(admin, null, request.AdminPassword, new CommandContext(), claim), ct);
        if (user.Error is { } e) return CommandOutcome<ParticipantState>.Failed(e);
        await claim.Keep(ct);
        return applied;
    }

    // The admin's fields, checked as its user would be (before anything is written), named as the application names them.
    static DomainError? Check(SubmitApplication request, CreateUser admin)
    {
        if (UserLimits.Password(request.AdminPassword, "adminPassword") is { } bad) return bad;
        if (UserDecider.Decide(UserState.Initial, admin, null).Error is not { } e) return null;
        return e with { Field = e.Field switch { "login" => "adminLogin", "displayName" => "adminName", var f => f } };
    }

    static DomainError Taken(string login) => new("user.exists", $"The login '{login}' is taken; choose another.", ErrorKind.Conflict, "adminLogin");
}
