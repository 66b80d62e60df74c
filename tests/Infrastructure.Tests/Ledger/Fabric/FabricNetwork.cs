using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors.Fabric;

namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>
/// The real Fabric network of scripts/fabric-network.sh that scripts/test.sh brings up once per run (two orgs, one
/// orderer, TLS everywhere, checkpoint-anchor endorsed by both orgs): found through ASSETLEDGER_TEST_FABRIC (its
/// network.env), else a network a developer brought up at .data/fabric. Each test class anchors on a chaincode name of
/// its own (FABRIC_EXTRA_CHAINCODES in scripts/test.sh), so each starts from an empty world state on the shared channel.
/// </summary>
public sealed class FabricNetwork
{
    public const string Variable = "ASSETLEDGER_TEST_FABRIC";
    static readonly Lazy<FabricNetwork> Instance = new(Load);
    readonly Dictionary<string, string> _env;

    FabricNetwork(string file, Dictionary<string, string> env) => (EnvFile, _env) = (file, env);

    /// <summary>The network; fails (never skips) with what to do when none is up.</summary>
    public static FabricNetwork Shared => Instance.Value;

    public string EnvFile { get; }
    public string Channel => _env["CHANNEL"];
    public string Folder => _env["FABRIC_NET"];

    public string this[string key] => _env[key];

    /// <summary>Org <paramref name="n"/>'s Gateway peer, as the service dials it (the peer's certificate names 127.0.0.1).</summary>
    public string Endpoint(int n) => $"https://{_env[$"ORG{n}_PEER"]}";
    public string TlsCaFile(int n) => _env[$"ORG{n}_TLS_CA"];
    public string MspId(int n) => _env[$"ORG{n}_MSP_ID"];
    public string UserCert(int n) => _env[$"ORG{n}_USER_CERT"];
    public string UserKey(int n) => _env[$"ORG{n}_USER_KEY"];

    /// <summary>Both organisations' MSP root certificates, as a verifier pins them from outside a bundle.</summary>
    public IReadOnlyDictionary<string, string> MspRoots() =>
        new Dictionary<string, string> { [MspId(1)] = File.ReadAllText(_env["ORG1_MSP_CA"]), [MspId(2)] = File.ReadAllText(_env["ORG2_MSP_CA"]) };

    /// <summary>The anchor's configuration for org <paramref name="n"/>'s User1 on <paramref name="chaincode"/>.</summary>
    public FabricAnchorOptions Options(string chaincode, int n = 1) => new()
    {
        Endpoint = Endpoint(n), TlsRootCertFile = TlsCaFile(n), MspId = MspId(n), CertificateFile = UserCert(n), PrivateKeyFile = UserKey(n),
        Channel = Channel, Chaincode = chaincode, CommitTimeout = TimeSpan.FromSeconds(20), EndorseTimeout = TimeSpan.FromSeconds(10),
        SubmitTimeout = TimeSpan.FromSeconds(10), EvaluateTimeout = TimeSpan.FromSeconds(10),
    };

    public FabricGatewayClient Client(int n = 1) =>
        FabricGatewayClient.Connect(new Uri(Endpoint(n)), File.ReadAllText(TlsCaFile(n)), null, FabricIdentity.FromFiles(MspId(n), UserCert(n), UserKey(n)));

    /// <summary>Stops one node by its PID (orderer, peer0.org1, peer0.org2, cc.org1, cc.org2), as a crash would.</summary>
    public Task Stop(string node) => Script("stop", node);

    /// <summary>Starts it again and waits until it answers.</summary>
    public Task Start(string node) => Script("start", node);

    async Task Script(string command, string node)
    {
        var script = Path.Combine(NodeTools.RepositoryRoot, "scripts", "fabric-network.sh");
        var (exit, stdout, stderr) = await NodeTools.Run(NodeTools.RepositoryRoot, "env",
            [$"FABRIC_NET={Folder}", $"FABRIC_PORT_BASE={_env["PORT_BASE"]}", "bash", script, command, node], TimeSpan.FromSeconds(60));
        if (exit != 0) throw new InvalidOperationException($"fabric-network.sh {command} {node} failed ({exit}): {stdout}{stderr}");
    }

    static FabricNetwork Load()
    {
        var file = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given ? given
            : Path.Combine(NodeTools.RepositoryRoot, ".data", "fabric", "network.env");
        if (!File.Exists(file))
            throw new InvalidOperationException($"No Fabric network ({file} is missing): scripts/test.sh brings one up with scripts/fabric-network.sh " +
                "(Fabric binaries from $FABRIC_BIN, ../shared/fabric/bin or the PATH); or run `scripts/fabric-network.sh up` and set " + Variable + " to its network.env.");
        var env = File.ReadAllLines(file).Where(l => l.Contains('=')).Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1].Trim('"'), StringComparer.Ordinal);
        return new FabricNetwork(file, env);
    }
}
