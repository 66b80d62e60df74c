using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Chains;

/// <summary>A fact in the chain registry's history (one stream, <c>chain-registry</c>): alliances, networks, contracts, anchor targets.</summary>
public interface IChainEvent
{
    ParticipantId By { get; }
    DateTimeOffset At { get; }
}

/// <summary>The operator records a consortium (区块链联盟) and its member organisations.</summary>
[StoredEvent("chain-alliance-registered")]
public sealed record AllianceRegistered(string Alliance, string Name, IReadOnlyList<AllianceMember> Members, ParticipantId By, DateTimeOffset At) : IChainEvent;

[StoredEvent("chain-alliance-member-added")]
public sealed record AllianceMemberAdded(string Alliance, AllianceMember Member, ParticipantId By, DateTimeOffset At) : IChainEvent;

/// <summary>A network of the alliance: its kind, endpoints, the public TLS roots of its peers (Fabric) or its chain id (EVM).</summary>
[StoredEvent("chain-network-registered")]
public sealed record NetworkRegistered(string Alliance, string Network, string Name, ChainKind Kind, IReadOnlyList<string> Endpoints,
    IReadOnlyList<string> TlsRootCertificates, long? ChainId, ParticipantId By, DateTimeOffset At) : IChainEvent;

/// <summary>The network moved or rotated its TLS roots; its kind and chain id stay.</summary>
[StoredEvent("chain-network-endpoints-changed")]
public sealed record NetworkEndpointsChanged(string Alliance, string Network, IReadOnlyList<string> Endpoints, IReadOnlyList<string> TlsRootCertificates,
    ParticipantId By, DateTimeOffset At) : IChainEvent;

[StoredEvent("chain-channel-added")]
public sealed record ChannelAdded(string Alliance, string Network, string Channel, ParticipantId By, DateTimeOffset At) : IChainEvent;

/// <summary>A contract on a network: Fabric channel and chaincode, or an EVM address (null: deployed on first use), with its ABI version.</summary>
[StoredEvent("chain-contract-registered")]
public sealed record ContractRegistered(string Alliance, string Contract, string Network, string? Channel, string? Chaincode, string? Address, string AbiVersion,
    ParticipantId By, DateTimeOffset At) : IChainEvent;

/// <summary>A named anchor target: a contract of the alliance and the references (file or variable names) to the credentials it signs with.</summary>
[StoredEvent("chain-target-defined")]
public sealed record TargetDefined(string Target, string Alliance, string Contract, TargetCredentials Credentials, bool LegacyTransactions,
    ParticipantId By, DateTimeOffset At) : IChainEvent;

/// <summary>Another contract for a target that has never been active (afterwards its receipts tie it to one contract).</summary>
[StoredEvent("chain-target-contract-changed")]
public sealed record TargetContractChanged(string Target, string Contract, ParticipantId By, DateTimeOffset At) : IChainEvent;

/// <summary>
/// The target reads its credentials from other files or variables; its chain identity stays. (For EVM the key must stay
/// the contract owner's: the registry never sees keys, so that is the operator's to keep, as docs/chains.md says.)
/// </summary>
[StoredEvent("chain-target-credentials-changed")]
public sealed record TargetCredentialsChanged(string Target, TargetCredentials Credentials, bool LegacyTransactions, ParticipantId By, DateTimeOffset At) : IChainEvent;

/// <summary>From now on every checkpoint is anchored on this target too.</summary>
[StoredEvent("chain-target-activated")]
public sealed record TargetActivated(string Target, ParticipantId By, DateTimeOffset At) : IChainEvent;

/// <summary>No further checkpoint goes to this target; its cursor and receipts stay.</summary>
[StoredEvent("chain-target-deactivated")]
public sealed record TargetDeactivated(string Target, ParticipantId By, DateTimeOffset At) : IChainEvent;

public static class ChainEventTypes
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(AllianceRegistered), typeof(AllianceMemberAdded), typeof(NetworkRegistered), typeof(NetworkEndpointsChanged), typeof(ChannelAdded),
        typeof(ContractRegistered), typeof(TargetDefined), typeof(TargetContractChanged), typeof(TargetCredentialsChanged),
        typeof(TargetActivated), typeof(TargetDeactivated),
        typeof(WitnessRegistered), typeof(WitnessActivated), typeof(WitnessDeactivated),
    ];
}
