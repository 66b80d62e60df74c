using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using Mediator;

namespace AssetLedger.Application.Participants;

public sealed record ExecuteParticipantCommand(IParticipantCommand Command, CommandContext Context) : ICommand<CommandOutcome<ParticipantState>>;

/// <summary>
/// Load the participant's stream, decide, append with the expected version; retry a few times on a conflict. A role
/// revocation or a suspension ends its users' sessions; a rejection releases its users before the id is freed.
/// </summary>
public sealed class ParticipantCommandHandler(IEventStore store, UserSessions sessions) : ICommandHandler<ExecuteParticipantCommand, CommandOutcome<ParticipantState>>
{
    readonly CommandService<ExecuteParticipantCommand, ParticipantState, IParticipantEvent> _commands = new(store, new()
    {
        Stream = r => ParticipantDecider.StreamOf(r.Command.Participant),
        Load = (r, ct) => ParticipantDirectory.Load(store, r.Command.Participant, ct),
        Decide = (s, r) => ParticipantDecider.Decide(s, r.Command),
        Evolve = ParticipantState.Evolve,
        Version = s => s.Version,
        Origin = r => (r.Command.Actor, r.Context),
        // Released first: were the rejection recorded and the release to fail, the id would be free with a user still in it.
        BeforeAppend = (r, ct) => r.Command is RejectParticipant reject
            ? sessions.Release(reject.Participant, reject.Reason, reject.Actor, reject.At, r.Context, ct)
            : Task.FromResult<DomainError?>(null),
        Conflict = new DomainError("participant.concurrency_conflict", "The participant kept changing; read it again and retry.", ErrorKind.Conflict),
    });

    public async ValueTask<CommandOutcome<ParticipantState>> Handle(ExecuteParticipantCommand request, CancellationToken ct)
    {
        var outcome = await _commands.Run(request, ct);
        if (outcome.Error is null && request.Command is RevokeRole or SuspendParticipant) await sessions.EndAll(request.Command.Participant, ct);
        return outcome;
    }
}
