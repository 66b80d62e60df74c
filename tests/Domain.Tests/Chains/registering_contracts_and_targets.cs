using AssetLedger.Domain.Chains;
using static AssetLedger.Domain.Tests.Chains.ChainSpec;

namespace AssetLedger.Domain.Tests.Chains;

/// <summary>Contracts name a network (and for Fabric a channel) of their alliance; targets name a contract and their credentials by file or variable.</summary>
public class registering_contracts_and_targets
{
    static ChainRegistryState Acme(params IChainEvent[] more) => Registry([.. ChainSpec.Acme(), .. more]);

    [Fact]
    public void a_fabric_contract_is_a_chaincode_on_a_channel_of_the_network()
    {
        ThenChain(Decide(Registry(AllianceRegistered(), FabricNetwork(), ChannelAdded()), new RegisterContract("acme", "cc", "fab", "anchors", "checkpoint-anchor", null, "1", Op, Now)),
            FabricContract());
    }

    [Fact]
    public void an_evm_contract_has_an_address_or_is_deployed_on_first_use()
    {
        var given = Registry(AllianceRegistered(), EvmNetwork());
        ThenChain(Decide(given, new RegisterContract("acme", "evm1", "besu", null, null, null, "1", Op, Now)), EvmContract());
        const string address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        ThenChain(Decide(given, new RegisterContract("acme", "evm2", "besu", null, null, address, "1", Op, Now)), EvmContract("evm2", address));
    }

    [Fact]
    public void a_contract_names_an_existing_network_and_fabric_channel()
    {
        ThenRefused(Decide(Acme(), new RegisterContract("acme", "c2", "nope", null, null, null, "1", Op, Now)), "chain.unknown_network", ErrorKind.Invalid, "networkId");
        ThenRefused(Decide(Acme(), new RegisterContract("acme", "c2", "fab", "other", "checkpoint-anchor", null, "1", Op, Now)), "chain.unknown_channel", ErrorKind.Invalid, "channel");
    }

    [Fact]
    public void a_contract_fits_its_network_kind()
    {
        ThenRefused(Decide(Acme(), new RegisterContract("acme", "c2", "fab", "anchors", "checkpoint-anchor", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "1", Op, Now)), "chain.invalid", ErrorKind.Invalid, "address");
        ThenRefused(Decide(Acme(), new RegisterContract("acme", "c2", "fab", "anchors", null, null, "1", Op, Now)), "chain.invalid", ErrorKind.Invalid, "chaincode");
        ThenRefused(Decide(Acme(), new RegisterContract("acme", "c2", "besu", "anchors", null, null, "1", Op, Now)), "chain.invalid", ErrorKind.Invalid, "channel");
        ThenRefused(Decide(Acme(), new RegisterContract("acme", "c2", "besu", null, null, "0x1234", "1", Op, Now)), "chain.invalid", ErrorKind.Invalid, "address");
        ThenRefused(Decide(Acme(), new RegisterContract("acme", "c2", "besu", null, null, null, "", Op, Now)), "chain.invalid", ErrorKind.Invalid, "abiVersion");
    }

    [Fact]
    public void a_contract_id_is_unique_within_its_alliance()
    {
        ThenRefused(Decide(Acme(), new RegisterContract("acme", "evm1", "besu", null, null, null, "2", Op, Now)), "chain.contract_exists", ErrorKind.Conflict);
        ThenRefused(Decide(Registry(), new RegisterContract("acme", "evm1", "besu", null, null, null, "2", Op, Now)), "chain.alliance_not_found", ErrorKind.NotFound);
    }

    [Fact]
    public void an_evm_target_names_its_key_file_or_variable()
    {
        ThenChain(Decide(Acme(), new DefineTarget("acme", "besu-main", "evm1", EvmCredentials(), false, Op, Now)), EvmTarget());
        var env = Decide(Acme(), new DefineTarget("acme", "besu-env", "evm1", EvmCredentials(null, "ANCHOR_KEY"), true, Op, Now));
        ThenChain(env, new TargetDefined("besu-env", "acme", "evm1", EvmCredentials(null, "ANCHOR_KEY"), true, Op.Id, Now));
    }

    [Fact]
    public void a_fabric_target_names_its_msp_certificate_and_key_files()
    {
        ThenChain(Decide(Acme(), new DefineTarget("acme", "fabric-main", "cc", FabricCredentials(), false, Op, Now)), FabricTarget());
    }

    [Theory]
    [InlineData(HexKey)]
    [InlineData("0x" + HexKey)]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI\n-----END EC PRIVATE KEY-----")]
    public void a_key_given_instead_of_its_file_name_is_refused(string value)
    {
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "evm1", EvmCredentials(value), false, Op, Now)), "chain.secret_value", ErrorKind.Invalid, "credentials.privateKeyFile");
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "evm1", EvmCredentials(null, value), false, Op, Now)), "chain.secret_value", ErrorKind.Invalid, "credentials.privateKeyEnv");
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "cc", FabricCredentials() with { CertificateFile = value }, false, Op, Now)), "chain.secret_value", ErrorKind.Invalid, "credentials.certificateFile");
    }

    [Fact]
    public void an_evm_target_names_exactly_one_key_source_and_no_fabric_identity()
    {
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "evm1", new TargetCredentials(), false, Op, Now)), "chain.invalid", ErrorKind.Invalid, "credentials");
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "evm1", EvmCredentials(KeyFile, "ANCHOR_KEY"), false, Op, Now)), "chain.invalid", ErrorKind.Invalid, "credentials");
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "evm1", EvmCredentials() with { MspId = "Org1MSP" }, false, Op, Now)), "chain.invalid", ErrorKind.Invalid, "credentials");
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "evm1", EvmCredentials(null, "1BAD"), false, Op, Now)), "chain.invalid", ErrorKind.Invalid, "credentials.privateKeyEnv");
    }

    [Fact]
    public void a_fabric_target_needs_msp_certificate_and_key_of_an_alliance_member()
    {
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "cc", FabricCredentials() with { MspId = null }, false, Op, Now)), "chain.invalid", ErrorKind.Invalid, "credentials.mspId");
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "cc", FabricCredentials() with { CertificateFile = null }, false, Op, Now)), "chain.invalid", ErrorKind.Invalid, "credentials.certificateFile");
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "cc", FabricCredentials() with { PrivateKeyFile = null }, false, Op, Now)), "chain.invalid", ErrorKind.Invalid, "credentials.privateKeyFile");
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "cc", FabricCredentials("Org9MSP"), false, Op, Now)), "chain.invalid", ErrorKind.Invalid, "credentials.mspId");
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "cc", FabricCredentials() with { PrivateKeyEnv = "K" }, false, Op, Now)), "chain.invalid", ErrorKind.Invalid, "credentials.privateKeyEnv");
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "cc", FabricCredentials(), true, Op, Now)), "chain.invalid", ErrorKind.Invalid, "legacyTransactions");
    }

    [Fact]
    public void a_target_names_a_contract_of_its_alliance()
    {
        ThenRefused(Decide(Acme(), new DefineTarget("acme", "t", "nope", EvmCredentials(), false, Op, Now)), "chain.unknown_contract", ErrorKind.Invalid, "contractId");
        ThenRefused(Decide(Acme(AllianceRegistered("beta")), new DefineTarget("beta", "t", "evm1", EvmCredentials(), false, Op, Now)), "chain.unknown_contract", ErrorKind.Invalid, "contractId");
    }

    [Fact]
    public void target_names_are_unique_across_alliances()
    {
        var given = Acme(EvmTarget(), AllianceRegistered("beta"), EvmNetwork("beta"), new ContractRegistered("beta", "evm1", "besu", null, null, null, "1", Op.Id, Now));
        ThenRefused(Decide(given, new DefineTarget("beta", "besu-main", "evm1", EvmCredentials(), false, Op, Now)), "chain.target_exists", ErrorKind.Conflict, "name");
        ThenRefused(Decide(given, new DefineTarget("acme", "besu-main", "evm1", EvmCredentials(), false, Op, Now)), "chain.target_exists", ErrorKind.Conflict, "name");
    }

    [Theory]
    [InlineData("local")]
    [InlineData("evm:1337")]
    [InlineData("Besu")]
    [InlineData("")]
    public void local_is_reserved_and_names_are_ids(string name)
    {
        ThenRefused(Decide(Acme(), new DefineTarget("acme", name, "evm1", EvmCredentials(), false, Op, Now)), "chain.invalid", ErrorKind.Invalid, "name");
    }
}
