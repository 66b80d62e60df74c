using AssetLedger.Domain.Chains;
using static AssetLedger.Domain.Tests.Chains.ChainSpec;

namespace AssetLedger.Domain.Tests.Chains;

/// <summary>Targets are switched on and off; once a target has been active its contract is fixed; only the operator changes the registry.</summary>
public class activating_targets
{
    static ChainRegistryState Acme(params IChainEvent[] more) => Registry([.. ChainSpec.Acme(), .. more]);

    [Fact]
    public void a_defined_target_is_activated_and_deactivated()
    {
        ThenChain(Decide(Acme(EvmTarget()), new ActivateTarget("besu-main", Op, Now)), Activated());
        ThenChain(Decide(Acme(EvmTarget(), Activated()), new DeactivateTarget("besu-main", Op, Now)), Deactivated());
        ThenChain(Decide(Acme(EvmTarget(), Activated(), Deactivated()), new ActivateTarget("besu-main", Op, Now)), Activated());
    }

    [Fact]
    public void activating_an_active_target_or_deactivating_an_inactive_one_is_a_conflict()
    {
        ThenRefused(Decide(Acme(EvmTarget(), Activated()), new ActivateTarget("besu-main", Op, Now)), "chain.target_active", ErrorKind.Conflict);
        ThenRefused(Decide(Acme(EvmTarget()), new DeactivateTarget("besu-main", Op, Now)), "chain.target_inactive", ErrorKind.Conflict);
    }

    [Fact]
    public void an_unknown_target_is_not_found()
    {
        ThenRefused(Decide(Acme(), new ActivateTarget("besu-main", Op, Now)), "chain.target_not_found", ErrorKind.NotFound);
        ThenRefused(Decide(Acme(), new DeactivateTarget("local", Op, Now)), "chain.target_not_found", ErrorKind.NotFound);
        ThenRefused(Decide(Acme(), new ChangeTargetCredentials("nope", EvmCredentials(), false, Op, Now)), "chain.target_not_found", ErrorKind.NotFound);
        ThenRefused(Decide(Acme(), new ChangeTargetContract("nope", "evm1", Op, Now)), "chain.target_not_found", ErrorKind.NotFound);
    }

    [Fact]
    public void several_targets_are_active_at_once()
    {
        var s = Acme(EvmTarget(), FabricTarget(), EvmTarget("besu-backup"), Activated(), Activated("fabric-main"));
        Assert.Equal(["besu-main", "fabric-main"], s.ActiveTargets().Select(t => t.Target.Name).Order());
    }

    [Fact]
    public void a_target_never_active_may_move_to_another_contract_of_the_same_kind()
    {
        var given = Acme(EvmContract("evm2", "0x5FbDB2315678afecb367f032d93F642f64180aa3"), EvmTarget());
        ThenChain(Decide(given, new ChangeTargetContract("besu-main", "evm2", Op, Now)), new TargetContractChanged("besu-main", "evm2", Op.Id, Now));
        ThenRefused(Decide(given, new ChangeTargetContract("besu-main", "cc", Op, Now)), "chain.invalid", ErrorKind.Invalid, "contractId");
        ThenRefused(Decide(given, new ChangeTargetContract("besu-main", "evm1", Op, Now)), "chain.no_change", ErrorKind.Invalid);
        ThenRefused(Decide(given, new ChangeTargetContract("besu-main", "nope", Op, Now)), "chain.unknown_contract", ErrorKind.Invalid, "contractId");
    }

    [Fact]
    public void a_target_that_has_been_active_keeps_its_contract_even_when_deactivated()
    {
        var given = Acme(EvmContract("evm2", "0x5FbDB2315678afecb367f032d93F642f64180aa3"), EvmTarget(), Activated(), Deactivated());
        ThenRefused(Decide(given, new ChangeTargetContract("besu-main", "evm2", Op, Now)), "chain.target_identity_fixed", ErrorKind.Conflict, "contractId");
    }

    [Fact]
    public void an_active_target_rotates_its_credentials_but_not_to_a_key_value()
    {
        var given = Acme(EvmTarget(), Activated());
        ThenChain(Decide(given, new ChangeTargetCredentials("besu-main", EvmCredentials(null, "ANCHOR_KEY_2"), true, Op, Now)),
            new TargetCredentialsChanged("besu-main", EvmCredentials(null, "ANCHOR_KEY_2"), true, Op.Id, Now));
        ThenRefused(Decide(given, new ChangeTargetCredentials("besu-main", EvmCredentials(HexKey), false, Op, Now)), "chain.secret_value", ErrorKind.Invalid, "credentials.privateKeyFile");
        ThenRefused(Decide(given, new ChangeTargetCredentials("besu-main", EvmCredentials(), false, Op, Now)), "chain.no_change", ErrorKind.Invalid);
    }

    [Fact]
    public void the_resolved_definition_carries_the_network_and_contract_and_a_revision_that_follows_them()
    {
        var s = Acme(EvmTarget(), Activated());
        var r = s.ActiveTargets().Single();
        Assert.Equal((ChainKind.Evm, 1337L, "http://127.0.0.1:8545", (string?)null), (r.Network.Kind, r.Network.ChainId, r.Network.Endpoints[0], r.Contract.Address));
        var before = r.Revision;

        var moved = ChainRegistryState.Evolve(s, new NetworkEndpointsChanged("acme", "besu", ["http://10.0.0.5:8545"], [], Op.Id, Now));
        Assert.True(moved.Resolve("besu-main")!.Revision > before, "moving the network changes the target's revision");

        var unrelated = ChainRegistryState.Evolve(s, ChannelAdded("other"));
        Assert.Equal(before, unrelated.Resolve("besu-main")!.Revision);
    }

    public static TheoryData<IChainCommand> EveryCommand(Actor who) =>
    [
        new RegisterAlliance("beta", "Beta", [Org1], who, Now),
        new AddAllianceMember("acme", new("Org Three"), who, Now),
        new RegisterNetwork("acme", "n2", "N", ChainKind.Evm, ["http://n:1"], [], 1, who, Now),
        new ChangeNetworkEndpoints("acme", "besu", ["http://n:1"], null, who, Now),
        new AddChannel("acme", "fab", "more", who, Now),
        new RegisterContract("acme", "c2", "besu", null, null, null, "1", who, Now),
        new DefineTarget("acme", "t2", "evm1", EvmCredentials(), false, who, Now),
        new ChangeTargetContract("besu-main", "evm1", who, Now),
        new ChangeTargetCredentials("besu-main", EvmCredentials(null, "K"), false, who, Now),
        new ActivateTarget("besu-main", who, Now),
        new DeactivateTarget("besu-main", who, Now),
    ];

    public static TheoryData<IChainCommand> ByOthers() => EveryCommand(Regulator);

    [Theory]
    [MemberData(nameof(ByOthers))]
    public void only_the_operator_changes_the_registry(IChainCommand command)
    {
        ThenRefused(Decide(Acme(EvmTarget()), command), "chain.not_operator", ErrorKind.Forbidden);
    }
}
