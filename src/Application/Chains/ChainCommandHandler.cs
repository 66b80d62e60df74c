using AssetLedger.Application.Assets;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Chains;
using AssetLedger.Domain.Common;
using Mediator;

namespace AssetLedger.Application.Chains;

public sealed record ExecuteChainCommand(IChainCommand Command, CommandContext Context) : ICommand<ChainOutcome>;

public sealed record ChainOutcome(DomainError? Error, long Version, IReadOnlyList<AppendedEvent> Events, ChainRegistryState? State = null)
{
    public bool Ok => Error is null;
}

/// <summary>Load the registry, decide, append with the expected version; another operator's change in between means decide again.</summary>
public sealed class ChainCommandHandler(IEventStore store, ChainRegistryReader registry, IParticipantDirectory participants) : ICommandHandler<ExecuteChainCommand, ChainOutcome>
{
    public async ValueTask<ChainOutcome> Handle(ExecuteChainCommand request, CancellationToken ct)
    {
        var c = request.Command;
        if (c.Actor.Has(Role.Operator) && await UnknownParticipant(c, ct) is { } unknown) return new ChainOutcome(unknown, 0, []);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var state = await registry.Current(ct);
            var (events, error) = ChainDecider.Decide(state, c);
            if (error is not null) return new ChainOutcome(error, state.Version, []);
            if (TlsRoots.Unreadable(c) is { } unreadable) return new ChainOutcome(unreadable, state.Version, []);
            var append = AssetStreams.ToAppend(events, c.Actor, request.Context);
            var result = await store.Append(new AppendRequest(ChainDecider.StreamId, state.Version, append), ct);
            if (result.Succeeded) return new ChainOutcome(null, result.StreamVersion, result.Events, events.Aggregate(state, ChainRegistryState.Evolve));
        }
        return new ChainOutcome(new DomainError("chain.concurrency_conflict", "The chain registry kept changing; read it again and retry.", ErrorKind.Conflict), 0, []);
    }

    /// <summary>A member that says it is a registry participant must be one (the Domain checks only the id's shape).</summary>
    async Task<DomainError?> UnknownParticipant(IChainCommand c, CancellationToken ct)
    {
        var (members, prefix) = c switch
        {
            RegisterAlliance r => (r.Members ?? [], (Func<int, string>)(i => $"members[{i}].")),
            AddAllianceMember a => ([a.Member], _ => ""),
            _ => ((IReadOnlyList<AllianceMember>)[], _ => ""),
        };
        for (var i = 0; i < members.Count; i++)
            if (members[i]?.ParticipantId is { } id && ParticipantId.IsWellFormed(id) && await participants.Find(new ParticipantId(id), ct) is null)
                return new DomainError("chain.unknown_participant", $"{prefix(i)}participantId '{id}' is not a registered participant.", ErrorKind.Invalid, prefix(i) + "participantId");
        return null;
    }
}
