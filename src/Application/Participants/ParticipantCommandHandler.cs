using AssetLedger.Application.Assets;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Serialization;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using Mediator;

namespace AssetLedger.Application.Participants;

public sealed record ExecuteRegisterParticipant(RegisterParticipant Command, CommandContext Context) : ICommand<ParticipantOutcome>;

public sealed record ParticipantOutcome(DomainError? Error, long Version, IReadOnlyList<AppendedEvent> Events)
{
    public bool Ok => Error is null;
}

public sealed class ParticipantCommandHandler(IEventStore store) : ICommandHandler<ExecuteRegisterParticipant, ParticipantOutcome>
{
    public async ValueTask<ParticipantOutcome> Handle(ExecuteRegisterParticipant request, CancellationToken ct)
    {
        var c = request.Command;
        var state = await ParticipantDirectory.Load(store, c.Participant, ct);
        var (events, error) = ParticipantDecider.Register(state, c);
        if (error is not null) return new ParticipantOutcome(error, state.Version, []);
        var append = AssetStreams.ToAppend(events.Cast<object>().ToList(), c.Actor, request.Context);
        var result = await store.Append(new AppendRequest(ParticipantDecider.StreamOf(c.Participant), state.Version, append), ct);
        return result.Status switch
        {
            AppendStatus.Appended or AppendStatus.AlreadyAppended => new ParticipantOutcome(null, result.StreamVersion, result.Events),
            _ => new ParticipantOutcome(ParticipantErrors.Exists(c.Participant), result.StreamVersion, []),
        };
    }
}
