using AssetLedger.Domain.Chains;
using static AssetLedger.Domain.Tests.Chains.ChainSpec;

namespace AssetLedger.Domain.Tests.Chains;

/// <summary>The operator records a consortium with its members, then its Fabric and EVM networks and their channels.</summary>
public class registering_alliances_and_networks
{
    [Fact]
    public void the_operator_registers_an_alliance_with_its_members()
    {
        ThenChain(Decide(Registry(), new RegisterAlliance("acme", " Acme consortium ", [Org1, Org2 with { Name = " Org Two " }], Op, Now)), AllianceRegistered());
    }

    [Fact]
    public void an_alliance_id_is_registered_once()
    {
        ThenRefused(Decide(Registry(AllianceRegistered()), new RegisterAlliance("acme", "Again", [Org1], Op, Now)), "chain.alliance_exists", ErrorKind.Conflict);
    }

    [Theory]
    [InlineData("Acme", "name", "allianceId")]
    [InlineData("acme", " ", "name")]
    [InlineData("", "name", "allianceId")]
    public void an_alliance_needs_a_well_formed_id_and_a_name(string id, string name, string field)
    {
        ThenRefused(Decide(Registry(), new RegisterAlliance(id, name, [Org1], Op, Now)), "chain.invalid", ErrorKind.Invalid, field);
    }

    [Fact]
    public void an_alliance_has_at_least_one_member()
    {
        ThenRefused(Decide(Registry(), new RegisterAlliance("acme", "Acme", [], Op, Now)), "chain.invalid", ErrorKind.Invalid, "members");
    }

    [Fact]
    public void members_are_unique_by_name_and_by_msp()
    {
        ThenRefused(Decide(Registry(), new RegisterAlliance("acme", "Acme", [Org1, new("org one")], Op, Now)), "chain.member_exists", ErrorKind.Conflict, "members[1].name");
        ThenRefused(Decide(Registry(), new RegisterAlliance("acme", "Acme", [Org1, new("Other", "Org1MSP")], Op, Now)), "chain.member_exists", ErrorKind.Conflict, "members[1].mspId");
    }

    [Fact]
    public void a_member_names_a_well_formed_msp_and_participant()
    {
        ThenRefused(Decide(Registry(), new RegisterAlliance("acme", "Acme", [new("Org", "Org 1 MSP")], Op, Now)), "chain.invalid", ErrorKind.Invalid, "members[0].mspId");
        ThenRefused(Decide(Registry(), new RegisterAlliance("acme", "Acme", [new("Org", null, "Owner 1")], Op, Now)), "chain.invalid", ErrorKind.Invalid, "members[0].participantId");
    }

    [Fact]
    public void a_member_joins_an_existing_alliance()
    {
        var org3 = new AllianceMember("Org Three", "Org3MSP");
        ThenChain(Decide(Registry(AllianceRegistered()), new AddAllianceMember("acme", org3, Op, Now)), new AllianceMemberAdded("acme", org3, Op.Id, Now));
    }

    [Fact]
    public void a_member_already_in_the_alliance_is_refused()
    {
        ThenRefused(Decide(Registry(AllianceRegistered()), new AddAllianceMember("acme", new("Org Three", "Org2MSP"), Op, Now)), "chain.member_exists", ErrorKind.Conflict, "mspId");
    }

    [Fact]
    public void a_member_of_an_unknown_alliance_is_not_found()
    {
        ThenRefused(Decide(Registry(), new AddAllianceMember("nope", Org1, Op, Now)), "chain.alliance_not_found", ErrorKind.NotFound);
    }

    [Fact]
    public void the_operator_registers_a_fabric_network_with_its_tls_roots()
    {
        ThenChain(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "fab", "Acme Fabric", ChainKind.Fabric, ["https://peer0.org1.example.com:7051"], [Pem + "\n"], null, Op, Now)),
            FabricNetwork());
    }

    [Fact]
    public void the_operator_registers_an_evm_network_with_its_chain_id()
    {
        ThenChain(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "besu", "Acme Besu", ChainKind.Evm, ["http://127.0.0.1:8545", "http://127.0.0.1:8546"], [], 1337, Op, Now)),
            EvmNetwork());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void an_evm_network_needs_a_chain_id_above_zero(long? chainId)
    {
        ThenRefused(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "besu", "B", ChainKind.Evm, ["http://127.0.0.1:8545"], [], chainId, Op, Now)),
            "chain.invalid", ErrorKind.Invalid, "chainId");
    }

    [Fact]
    public void a_fabric_network_has_no_chain_id_and_an_evm_network_no_tls_roots()
    {
        ThenRefused(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "fab", "F", ChainKind.Fabric, ["http://peer:7051"], [], 5, Op, Now)), "chain.invalid", ErrorKind.Invalid, "chainId");
        ThenRefused(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "besu", "B", ChainKind.Evm, ["http://node:8545"], [Pem], 5, Op, Now)), "chain.invalid", ErrorKind.Invalid, "tlsRootCertificates");
    }

    [Fact]
    public void a_fabric_network_over_https_needs_tls_roots()
    {
        ThenRefused(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "fab", "F", ChainKind.Fabric, ["https://peer:7051"], [], null, Op, Now)), "chain.invalid", ErrorKind.Invalid, "tlsRootCertificates");
    }

    [Theory]
    [InlineData("peer0:7051", "endpoints[0]")]
    [InlineData("grpc://peer0:7051", "endpoints[0]")]
    [InlineData("/relative", "endpoints[0]")]
    [InlineData("https://user:secret@node.example:8545", "endpoints[0]")]
    public void endpoints_are_absolute_http_urls_without_credentials(string endpoint, string field)
    {
        ThenRefused(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "besu", "B", ChainKind.Evm, [endpoint], [], 1, Op, Now)), "chain.invalid", ErrorKind.Invalid, field);
    }

    [Fact]
    public void a_network_has_one_to_ten_distinct_endpoints()
    {
        ThenRefused(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "besu", "B", ChainKind.Evm, [], [], 1, Op, Now)), "chain.invalid", ErrorKind.Invalid, "endpoints");
        ThenRefused(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "besu", "B", ChainKind.Evm, ["http://a:1", "http://A:1"], [], 1, Op, Now)), "chain.invalid", ErrorKind.Invalid, "endpoints");
    }

    [Fact]
    public void a_tls_root_is_a_pem_certificate_never_a_private_key()
    {
        ThenRefused(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "fab", "F", ChainKind.Fabric, ["https://peer:7051"], ["not a certificate"], null, Op, Now)),
            "chain.invalid", ErrorKind.Invalid, "tlsRootCertificates[0]");
        ThenRefused(Decide(Registry(AllianceRegistered()), new RegisterNetwork("acme", "fab", "F", ChainKind.Fabric, ["https://peer:7051"], ["-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----"], null, Op, Now)),
            "chain.secret_value", ErrorKind.Invalid, "tlsRootCertificates[0]");
    }

    [Fact]
    public void a_network_id_is_unique_within_its_alliance_and_reusable_in_another()
    {
        ThenRefused(Decide(Registry(AllianceRegistered(), EvmNetwork()), new RegisterNetwork("acme", "besu", "B", ChainKind.Evm, ["http://n:1"], [], 1, Op, Now)), "chain.network_exists", ErrorKind.Conflict);
        var other = Decide(Registry(AllianceRegistered(), EvmNetwork(), AllianceRegistered("beta")), new RegisterNetwork("beta", "besu", "B", ChainKind.Evm, ["http://n:1"], [], 1, Op, Now));
        Assert.Null(other.Error);
    }

    [Fact]
    public void a_network_of_an_unknown_alliance_is_not_found()
    {
        ThenRefused(Decide(Registry(), new RegisterNetwork("nope", "besu", "B", ChainKind.Evm, ["http://n:1"], [], 1, Op, Now)), "chain.alliance_not_found", ErrorKind.NotFound);
    }

    [Fact]
    public void a_network_moves_to_other_endpoints_and_keeps_its_tls_roots_unless_new_ones_are_given()
    {
        ThenChain(Decide(Registry(AllianceRegistered(), FabricNetwork()), new ChangeNetworkEndpoints("acme", "fab", ["https://peer1.org1.example.com:7051"], null, Op, Now)),
            new NetworkEndpointsChanged("acme", "fab", ["https://peer1.org1.example.com:7051"], [Pem], Op.Id, Now));
    }

    [Fact]
    public void changing_a_network_to_what_it_is_changes_nothing_and_is_refused()
    {
        ThenRefused(Decide(Registry(AllianceRegistered(), EvmNetwork()), new ChangeNetworkEndpoints("acme", "besu", ["http://127.0.0.1:8545", "http://127.0.0.1:8546"], null, Op, Now)),
            "chain.no_change", ErrorKind.Invalid);
        ThenRefused(Decide(Registry(AllianceRegistered()), new ChangeNetworkEndpoints("acme", "besu", ["http://n:1"], null, Op, Now)), "chain.network_not_found", ErrorKind.NotFound);
    }

    [Fact]
    public void a_fabric_network_gets_channels_once_each()
    {
        ThenChain(Decide(Registry(AllianceRegistered(), FabricNetwork()), new AddChannel("acme", "fab", "anchors", Op, Now)), ChannelAdded());
        ThenRefused(Decide(Registry(AllianceRegistered(), FabricNetwork(), ChannelAdded()), new AddChannel("acme", "fab", "anchors", Op, Now)), "chain.channel_exists", ErrorKind.Conflict);
    }

    [Fact]
    public void a_channel_name_follows_fabric_rules_and_an_evm_network_has_none()
    {
        ThenRefused(Decide(Registry(AllianceRegistered(), FabricNetwork()), new AddChannel("acme", "fab", "Anchors!", Op, Now)), "chain.invalid", ErrorKind.Invalid, "name");
        ThenRefused(Decide(Registry(AllianceRegistered(), EvmNetwork()), new AddChannel("acme", "besu", "anchors", Op, Now)), "chain.invalid", ErrorKind.Invalid, "name");
        ThenRefused(Decide(Registry(AllianceRegistered()), new AddChannel("acme", "fab", "anchors", Op, Now)), "chain.network_not_found", ErrorKind.NotFound);
    }
}
