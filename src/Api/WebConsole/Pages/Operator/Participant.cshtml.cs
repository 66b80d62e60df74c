using AssetLedger.Api.Contracts;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages.Operator;

/// <summary>
/// One participant for the operator: its state folded from its own stream (never behind), its users, and a form for
/// each participant and user command: verify or reject an application, grant or revoke a role, suspend or reinstate,
/// create, disable or enable a user. Each write is the API's command through the same handler and decider.
/// </summary>
[Authorize(Roles = "Operator")]
public sealed class ParticipantModel(IEventStore store, IUserDirectory directory, ConsoleCommands commands) : ConsolePage
{
    public ParticipantState Participant { get; private set; } = ParticipantState.Initial;
    public IReadOnlyList<UserState> Users { get; private set; } = [];
    public static IReadOnlyList<Role> Grantable { get; } = Enum.GetValues<Role>().Where(r => r is not (Role.System)).ToList();

    public async Task<IActionResult> OnGet(string id, CancellationToken ct) => await Load(id, ct) ? Page() : NotFound();

    async Task<bool> Load(string id, CancellationToken ct)
    {
        if (!ParticipantId.IsWellFormed(id)) return false;
        Participant = await ParticipantDirectory.Load(store, new ParticipantId(id), ct);
        if (!Participant.Exists) return false;
        var users = new List<UserState>();
        // A login created for it once may have moved on: only the users that still belong to it are shown.
        foreach (var login in await directory.LoginsOf(Participant.Id, ct))
            if (await UserCommandHandler.Load(store, login, ct) is { Exists: true } u && u.Participant == Participant.Id) users.Add(u);
        Users = users;
        return true;
    }

    public Task<IActionResult> OnPostVerify(string id, string[]? roles, CancellationToken ct) =>
        Run(id, "done.verify", (p, actor, now) =>
        {
            var parsed = new List<Role>();
            foreach (var r in roles ?? [])
            {
                var role = RequestMapping.ParseEnum<Role>(r, "roles");
                if (role.Error is { } e) return e;
                parsed.Add(role.Value);
            }
            // None ticked: the roles it applied for.
            return new VerifyParticipant(p, parsed.Count == 0 ? null : parsed, actor, now);
        }, ct);

    public Task<IActionResult> OnPostReject(string id, string? reason, CancellationToken ct) =>
        Run(id, "done.reject", (p, actor, now) => new RejectParticipant(p, reason ?? "", actor, now), ct);

    public Task<IActionResult> OnPostGrant(string id, string? role, CancellationToken ct) =>
        Run(id, "done.grant", (p, actor, now) => RequestMapping.ParseEnum<Role>(role, "role") is { Error: null } r ? new GrantRole(p, r.Value, actor, now) : RequestMapping.ParseEnum<Role>(role, "role").Error!, ct);

    public Task<IActionResult> OnPostRevoke(string id, string? role, CancellationToken ct) =>
        Run(id, "done.revoke", (p, actor, now) => RequestMapping.ParseEnum<Role>(role, "role") is { Error: null } r ? new RevokeRole(p, r.Value, actor, now) : RequestMapping.ParseEnum<Role>(role, "role").Error!, ct);

    public Task<IActionResult> OnPostSuspend(string id, string? reason, CancellationToken ct) =>
        Run(id, "done.suspend", (p, actor, now) => new SuspendParticipant(p, reason ?? "", actor, now), ct);

    public Task<IActionResult> OnPostReinstate(string id, CancellationToken ct) =>
        Run(id, "done.reinstate", (p, actor, now) => new ReinstateParticipant(p, actor, now), ct);

    public Task<IActionResult> OnPostCreateUser(string id, string? login, string? displayName, string? password, CancellationToken ct) =>
        RunUser(id, "done.createuser", (actor, now) => new CreateUser(login ?? "", new ParticipantId(id), displayName ?? "", actor, now), password, ct);

    public Task<IActionResult> OnPostDisableUser(string id, string? login, string? reason, CancellationToken ct) =>
        RunUser(id, "done.disableuser", (actor, now) => new DisableUser(login ?? "", reason ?? "", actor, now), null, ct);

    public Task<IActionResult> OnPostEnableUser(string id, string? login, CancellationToken ct) =>
        RunUser(id, "done.enableuser", (actor, now) => new EnableUser(login ?? "", actor, now), null, ct);

    async Task<IActionResult> Run(string id, string done, Func<ParticipantId, Actor, DateTimeOffset, Result<IParticipantCommand>> build, CancellationToken ct)
    {
        if (!ParticipantId.IsWellFormed(id)) return NotFound();
        var command = build(new ParticipantId(id), commands.Actor, commands.Now);
        DomainError? error = command.Error;
        if (error is null) error = (await commands.Participant(command.Value!, ct)).Error;
        return await After(id, done, error, ct);
    }

    async Task<IActionResult> RunUser(string id, string done, Func<Actor, DateTimeOffset, IUserCommand> build, string? password, CancellationToken ct)
    {
        if (!ParticipantId.IsWellFormed(id)) return NotFound();
        var outcome = await commands.User(build(commands.Actor, commands.Now), password, ct);
        return await After(id, done, outcome.Error, ct);
    }

    async Task<IActionResult> After(string id, string done, DomainError? error, CancellationToken ct)
    {
        if (error is null) return Done($"/console/operator/participants/{id}", T[done]);
        if (!await Load(id, ct)) return NotFound();
        return Refused(error);
    }
}
