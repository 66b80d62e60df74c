using System.Collections.Immutable;

namespace AssetLedger.Domain.Chains;

/// <param name="Revision">The registry version at which this record last changed (a target's definition includes it).</param>
public sealed record NetworkRecord(string Id, string Name, ChainKind Kind, ImmutableList<string> Endpoints, ImmutableList<string> TlsRootCertificates,
    long? ChainId, ImmutableSortedSet<string> Channels, long Revision);

public sealed record ContractRecord(string Id, string Network, string? Channel, string? Chaincode, string? Address, string AbiVersion, long Revision);

public sealed record AllianceRecord(string Id, string Name, ImmutableList<AllianceMember> Members,
    ImmutableSortedDictionary<string, NetworkRecord> Networks, ImmutableSortedDictionary<string, ContractRecord> Contracts);

/// <param name="EverActivated">Once true the target's chain identity (contract, hence network and channel) is fixed: its cursor and receipts refer to it.</param>
public sealed record TargetRecord(string Name, string Alliance, string Contract, TargetCredentials Credentials, bool LegacyTransactions,
    bool Active, bool EverActivated, long Revision);

/// <summary>A target with everything it refers to, as the anchor worker needs it.</summary>
/// <param name="Revision">The highest registry version that changed the target, its contract or its network.</param>
public sealed record ResolvedTarget(TargetRecord Target, AllianceRecord Alliance, NetworkRecord Network, ContractRecord Contract, long Revision);

/// <summary>
/// The chain registry (区块链联盟配置) folded from its one stream. One aggregate for all alliances, because its
/// invariants span them: target names are unique across alliances, and a target is found by its name alone.
/// </summary>
public sealed record ChainRegistryState
{
    public static readonly ChainRegistryState Initial = new();

    public ImmutableSortedDictionary<string, AllianceRecord> Alliances { get; init; } = ImmutableSortedDictionary<string, AllianceRecord>.Empty;
    public ImmutableSortedDictionary<string, TargetRecord> Targets { get; init; } = ImmutableSortedDictionary<string, TargetRecord>.Empty;
    public ImmutableSortedDictionary<string, WitnessRecord> Witnesses { get; init; } = ImmutableSortedDictionary<string, WitnessRecord>.Empty;
    public long Version { get; init; }

    public static ChainRegistryState From(IEnumerable<IChainEvent> history) => history.Aggregate(Initial, Evolve);

    public ResolvedTarget? Resolve(string target)
    {
        if (!Targets.TryGetValue(target, out var t) || !Alliances.TryGetValue(t.Alliance, out var a)) return null;
        if (!a.Contracts.TryGetValue(t.Contract, out var c) || !a.Networks.TryGetValue(c.Network, out var n)) return null;
        return new ResolvedTarget(t, a, n, c, Math.Max(t.Revision, Math.Max(c.Revision, n.Revision)));
    }

    public IEnumerable<ResolvedTarget> ActiveTargets() => Targets.Values.Where(t => t.Active).Select(t => Resolve(t.Name)).OfType<ResolvedTarget>();

    public static ChainRegistryState Evolve(ChainRegistryState s, IChainEvent e)
    {
        var v = s.Version + 1;
        var next = e switch
        {
            AllianceRegistered r => s with
            {
                Alliances = s.Alliances.SetItem(r.Alliance, new AllianceRecord(r.Alliance, r.Name, [.. r.Members],
                    ImmutableSortedDictionary<string, NetworkRecord>.Empty, ImmutableSortedDictionary<string, ContractRecord>.Empty)),
            },
            AllianceMemberAdded m => Alliance(s, m.Alliance, a => a with { Members = a.Members.Add(m.Member) }),
            NetworkRegistered n => Alliance(s, n.Alliance, a => a with
            {
                Networks = a.Networks.SetItem(n.Network, new NetworkRecord(n.Network, n.Name, n.Kind, [.. n.Endpoints], [.. n.TlsRootCertificates], n.ChainId, [], v)),
            }),
            NetworkEndpointsChanged c => Network(s, c.Alliance, c.Network, n => n with { Endpoints = [.. c.Endpoints], TlsRootCertificates = [.. c.TlsRootCertificates], Revision = v }),
            ChannelAdded c => Network(s, c.Alliance, c.Network, n => n with { Channels = n.Channels.Add(c.Channel) }),
            ContractRegistered c => Alliance(s, c.Alliance, a => a with
            {
                Contracts = a.Contracts.SetItem(c.Contract, new ContractRecord(c.Contract, c.Network, c.Channel, c.Chaincode, c.Address, c.AbiVersion, v)),
            }),
            TargetDefined d => s with
            {
                Targets = s.Targets.SetItem(d.Target, new TargetRecord(d.Target, d.Alliance, d.Contract, d.Credentials, d.LegacyTransactions, false, false, v)),
            },
            TargetContractChanged c => Target(s, c.Target, t => t with { Contract = c.Contract, Revision = v }),
            TargetCredentialsChanged c => Target(s, c.Target, t => t with { Credentials = c.Credentials, LegacyTransactions = c.LegacyTransactions, Revision = v }),
            TargetActivated a => Target(s, a.Target, t => t with { Active = true, EverActivated = true }),
            TargetDeactivated d => Target(s, d.Target, t => t with { Active = false }),
            WitnessRegistered w => s with { Witnesses = s.Witnesses.SetItem(w.Witness, new WitnessRecord(w.Witness, w.Url, w.VerifierKey, true, v)) },
            WitnessActivated w => s with { Witnesses = s.Witnesses.SetItem(w.Witness, s.Witnesses[w.Witness] with { Active = true }) },
            WitnessDeactivated w => s with { Witnesses = s.Witnesses.SetItem(w.Witness, s.Witnesses[w.Witness] with { Active = false }) },
            _ => throw new InvalidOperationException($"No fold for {e.GetType().Name}."),
        };
        return next with { Version = v };
    }

    static ChainRegistryState Alliance(ChainRegistryState s, string id, Func<AllianceRecord, AllianceRecord> change) =>
        s with { Alliances = s.Alliances.SetItem(id, change(s.Alliances[id])) };

    static ChainRegistryState Network(ChainRegistryState s, string alliance, string network, Func<NetworkRecord, NetworkRecord> change) =>
        Alliance(s, alliance, a => a with { Networks = a.Networks.SetItem(network, change(a.Networks[network])) });

    static ChainRegistryState Target(ChainRegistryState s, string name, Func<TargetRecord, TargetRecord> change) =>
        s with { Targets = s.Targets.SetItem(name, change(s.Targets[name])) };
}
