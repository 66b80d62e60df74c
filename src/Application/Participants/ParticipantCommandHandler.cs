using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using Mediator;

namespace AssetLedger.Application.Participants;

public sealed record ExecuteParticipantCommand(IParticipantCommand Command, CommandContext Context) : ICommand<CommandOutcome<ParticipantState>>;

/// <summary>Load the participant's stream, decide, append with the expected version; retry a few times on a conflict.</summary>
public sealed class ParticipantCommandHandler(IEventStore store) : ICommandHandler<ExecuteParticipantCommand, CommandOutcome<ParticipantState>>
{
    readonly CommandService<ExecuteParticipantCommand, ParticipantState, IParticipantEvent> _commands = new(store, new()
    {
        Stream = r => ParticipantDecider.StreamOf(r.Command.Participant),
        Load = (r, ct) => ParticipantDirectory.Load(store, r.Command.Participant, ct),
        Decide = (s, r) => ParticipantDecider.Decide(s, r.Command),
        Evolve = ParticipantState.Evolve,
        Version = s => s.Version,
        Origin = r => (r.Command.Actor, r.Context),
        Conflict = new DomainError("participant.concurrency_conflict", "The participant kept changing; read it again and retry.", ErrorKind.Conflict),
    });

    public ValueTask<CommandOutcome<ParticipantState>> Handle(ExecuteParticipantCommand request, CancellationToken ct) => _commands.Run(request, ct);
}
