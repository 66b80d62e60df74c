using AssetLedger.Domain.Chains;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Domain.Tests.Chains;

/// <summary>
/// Given registry events / when an operator's command / then events or a refusal. The common registry: alliance
/// <c>acme</c> (Org1MSP, Org2MSP) with a Fabric network <c>fab</c> (channel <c>anchors</c>, contract <c>cc</c>) and an
/// EVM network <c>besu</c> (chain 1337, contract <c>evm1</c> deployed on first use).
/// </summary>
public static class ChainSpec
{
    public static readonly Actor Op = Actor.Of("operator", Role.Operator);
    public static readonly string Pem = SelfSignedCa();
    public const string HexKey = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    public const string KeyFile = "/run/secrets/anchor.key";

    static string SelfSignedCa()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Acme TLS CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        return cert.ExportCertificatePem();
    }

    public static ChainRegistryState Registry(params IChainEvent[] history) => ChainRegistryState.From(history);

    public static Decision<IChainEvent> Decide(ChainRegistryState state, IChainCommand command) => ChainDecider.Decide(state, command);

    /// <summary>The decision produced exactly these events, compared in their stored form (name and JSON).</summary>
    public static void ThenChain(Decision<IChainEvent> decision, params IChainEvent[] expected)
    {
        Assert.True(decision.Error is null, $"refused: {decision.Error}");
        Assert.Equal(expected.Select(Stored), decision.Events.Select(Stored));
    }

    public static void ThenRefused(Decision<IChainEvent> decision, string code, ErrorKind kind, string? field = null)
    {
        Assert.True(decision.Error is not null, "expected a refusal, got " + string.Join(", ", decision.Events.Select(Stored)));
        Assert.Empty(decision.Events);
        Assert.Equal(code, decision.Error!.Code);
        Assert.Equal(kind, decision.Error.Kind);
        if (field is not null) Assert.Equal(field, decision.Error.Field);
    }

    static string Stored(IChainEvent e)
    {
        var (type, _, json) = EventSerializer.Instance.Serialize(e);
        return $"{type} {json}";
    }

    // ---- events ----

    public static readonly AllianceMember Org1 = new("Org One", "Org1MSP", "owner-1");
    public static readonly AllianceMember Org2 = new("Org Two", "Org2MSP");

    public static AllianceRegistered AllianceRegistered(string id = "acme", params AllianceMember[] members) =>
        new(id, "Acme consortium", members.Length > 0 ? members : [Org1, Org2], Op.Id, Now);

    public static NetworkRegistered FabricNetwork(string alliance = "acme", string id = "fab") =>
        new(alliance, id, "Acme Fabric", ChainKind.Fabric, ["https://peer0.org1.example.com:7051"], [Pem], null, Op.Id, Now);

    public static NetworkRegistered EvmNetwork(string alliance = "acme", string id = "besu", long chainId = 1337) =>
        new(alliance, id, "Acme Besu", ChainKind.Evm, ["http://127.0.0.1:8545", "http://127.0.0.1:8546"], [], chainId, Op.Id, Now);

    public static ChannelAdded ChannelAdded(string channel = "anchors", string network = "fab") => new("acme", network, channel, Op.Id, Now);

    public static ContractRegistered FabricContract(string id = "cc") => new("acme", id, "fab", "anchors", "checkpoint-anchor", null, "1", Op.Id, Now);

    public static ContractRegistered EvmContract(string id = "evm1", string? address = null) => new("acme", id, "besu", null, null, address, "1", Op.Id, Now);

    public static TargetCredentials EvmCredentials(string? file = KeyFile, string? env = null) => new(PrivateKeyFile: file, PrivateKeyEnv: env);

    public static TargetCredentials FabricCredentials(string msp = "Org1MSP") =>
        new(PrivateKeyFile: "/etc/fabric/org1/keystore/key.pem", CertificateFile: "/etc/fabric/org1/signcerts/cert.pem", MspId: msp, TlsServerName: "peer0.org1.example.com");

    public static TargetDefined EvmTarget(string name = "besu-main", string contract = "evm1", string alliance = "acme") =>
        new(name, alliance, contract, EvmCredentials(), false, Op.Id, Now);

    public static TargetDefined FabricTarget(string name = "fabric-main") => new(name, "acme", "cc", FabricCredentials(), false, Op.Id, Now);

    public static TargetActivated Activated(string name = "besu-main") => new(name, Op.Id, Now);

    public static TargetDeactivated Deactivated(string name = "besu-main") => new(name, Op.Id, Now);

    /// <summary>The common registry, without targets.</summary>
    public static IChainEvent[] Acme() => [AllianceRegistered(), FabricNetwork(), ChannelAdded(), FabricContract(), EvmNetwork(), EvmContract()];
}
