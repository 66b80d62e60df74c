using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Chains;

/// <summary>An operator's change to the chain registry.</summary>
public interface IChainCommand
{
    Actor Actor { get; }
    DateTimeOffset At { get; }
}

public sealed record RegisterAlliance(string Alliance, string Name, IReadOnlyList<AllianceMember> Members, Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record AddAllianceMember(string Alliance, AllianceMember Member, Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record RegisterNetwork(string Alliance, string Network, string Name, ChainKind Kind, IReadOnlyList<string> Endpoints,
    IReadOnlyList<string> TlsRootCertificates, long? ChainId, Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record ChangeNetworkEndpoints(string Alliance, string Network, IReadOnlyList<string> Endpoints, IReadOnlyList<string>? TlsRootCertificates,
    Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record AddChannel(string Alliance, string Network, string Channel, Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record RegisterContract(string Alliance, string Contract, string Network, string? Channel, string? Chaincode, string? Address, string AbiVersion,
    Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record DefineTarget(string Alliance, string Target, string Contract, TargetCredentials Credentials, bool LegacyTransactions,
    Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record ChangeTargetContract(string Target, string Contract, Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record ChangeTargetCredentials(string Target, TargetCredentials Credentials, bool LegacyTransactions, Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record ActivateTarget(string Target, Actor Actor, DateTimeOffset At) : IChainCommand;
public sealed record DeactivateTarget(string Target, Actor Actor, DateTimeOffset At) : IChainCommand;
