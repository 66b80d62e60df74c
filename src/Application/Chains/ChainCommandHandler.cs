using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Chains;
using AssetLedger.Domain.Common;
using Mediator;

namespace AssetLedger.Application.Chains;

public sealed record ExecuteChainCommand(IChainCommand Command, CommandContext Context) : ICommand<CommandOutcome<ChainRegistryState>>;

/// <summary>Load the registry, decide, append with the expected version; another operator's change in between means decide again.</summary>
public sealed class ChainCommandHandler(IEventStore store, ChainRegistryReader registry, IParticipantDirectory participants)
    : ICommandHandler<ExecuteChainCommand, CommandOutcome<ChainRegistryState>>
{
    readonly CommandService<ExecuteChainCommand, ChainRegistryState, IChainEvent> _commands = new(store, new()
    {
        Stream = _ => ChainDecider.StreamId,
        Load = (_, ct) => registry.Current(ct),
        Decide = (s, r) => ChainDecider.Decide(s, r.Command),
        Evolve = ChainRegistryState.Evolve,
        Version = s => s.Version,
        Origin = r => (r.Command.Actor, r.Context),
        Prepare = (r, ct) => KnownParticipants(participants, r, ct),
        BeforeAppend = (r, _) => Task.FromResult(TlsRoots.Unreadable(r.Command)),
        Conflict = new DomainError("chain.concurrency_conflict", "The chain registry kept changing; read it again and retry.", ErrorKind.Conflict),
    });

    public ValueTask<CommandOutcome<ChainRegistryState>> Handle(ExecuteChainCommand request, CancellationToken ct) => _commands.Run(request, ct);

    static async Task<Result<ExecuteChainCommand>> KnownParticipants(IParticipantDirectory participants, ExecuteChainCommand request, CancellationToken ct) =>
        request.Command.Actor.Has(Role.Operator) && await UnknownParticipant(participants, request.Command, ct) is { } unknown ? unknown : request;

    /// <summary>A member that says it is a registry participant must be one (the Domain checks only the id's shape).</summary>
    static async Task<DomainError?> UnknownParticipant(IParticipantDirectory participants, IChainCommand c, CancellationToken ct)
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
