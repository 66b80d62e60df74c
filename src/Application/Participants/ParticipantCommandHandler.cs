using AssetLedger.Application.Assets;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using Mediator;

namespace AssetLedger.Application.Participants;

public sealed record ExecuteParticipantCommand(IParticipantCommand Command, CommandContext Context) : ICommand<ParticipantOutcome>;

public sealed record ParticipantOutcome(DomainError? Error, long Version, IReadOnlyList<AppendedEvent> Events, ParticipantState? State = null)
{
    public bool Ok => Error is null;
}

/// <summary>Load the participant's stream, decide, append with the expected version; retry a few times on a conflict.</summary>
public sealed class ParticipantCommandHandler(IEventStore store) : ICommandHandler<ExecuteParticipantCommand, ParticipantOutcome>
{
    public async ValueTask<ParticipantOutcome> Handle(ExecuteParticipantCommand request, CancellationToken ct)
    {
        var c = request.Command;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var state = await ParticipantDirectory.Load(store, c.Participant, ct);
            var (events, error) = ParticipantDecider.Decide(state, c);
            if (error is not null) return new ParticipantOutcome(error, state.Version, []);
            var append = AssetStreams.ToAppend(events, c.Actor, request.Context);
            var result = await store.Append(new AppendRequest(ParticipantDecider.StreamOf(c.Participant), state.Version, append), ct);
            if (result.Succeeded) return new ParticipantOutcome(null, result.StreamVersion, result.Events, events.Aggregate(state, ParticipantState.Evolve));
        }
        return new ParticipantOutcome(new DomainError("participant.concurrency_conflict", "The participant kept changing; read it again and retry.", ErrorKind.Conflict), 0, []);
    }
}
