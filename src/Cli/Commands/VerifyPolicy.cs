using System.CommandLine;
using System.Text.Json;
using AssetLedger.Ledger.Evidence;

namespace AssetLedger.Cli.Commands;

/// <summary>
/// The trust policy of <c>assetledger verify</c>, from a file (<c>--policy</c>, JSON) and/or flags, the flags adding to or
/// overriding the file (docs/evidence-bundle.md §11):
/// <code>{"ledgerKey": "…", "witnesses": {"keys": ["…"], "quorum": 1}, "evm": {"chainId": 1, "contract": "0x…", "account": "0x…"},
///  "fabric": {"channel": "…", "chaincode": "…", "mspIds": ["…"]}}</code>
/// </summary>
static class VerifyPolicy
{
    public static readonly Option<FileInfo?> File = new("--policy") { Description = "A trust policy file (JSON: ledgerKey, witnesses.keys/quorum, evm.chainId/contract/account, fabric.channel/chaincode/mspIds); flags add to it." };
    public static readonly Option<string[]> WitnessKey = new("--witness-key") { Description = "A witness's verifier key (assetledger witness key); repeatable.", Arity = ArgumentArity.ZeroOrMore };
    public static readonly Option<int?> WitnessQuorum = new("--witness-quorum") { Description = "How many pinned witnesses must have cosigned the bundle's checkpoint (default: all; 0: none on purpose)." };
    public static readonly Option<long?> EvmChainId = new("--evm-chain-id") { Description = "EVM receipts must be on this chain id." };
    public static readonly Option<string?> EvmContract = new("--evm-contract") { Description = "EVM receipts must name this CheckpointAnchor contract; --online asks this contract only." };
    public static readonly Option<string?> EvmAccount = new("--evm-account") { Description = "With --online: the pinned contract's owner must be this anchoring account." };
    public static readonly Option<string?> FabricChannel = new("--fabric-channel") { Description = "Fabric receipts must be on this channel." };
    public static readonly Option<string?> FabricChaincode = new("--fabric-chaincode") { Description = "Fabric receipts must name this chaincode." };
    public static readonly Option<string[]> FabricEndorserMsp = new("--fabric-endorser-msp") { Description = "Fabric receipts must be submitted by one of these MSPs; repeatable.", Arity = ArgumentArity.ZeroOrMore };

    public static IEnumerable<Option> All => [File, WitnessKey, WitnessQuorum, EvmChainId, EvmContract, EvmAccount, FabricChannel, FabricChaincode, FabricEndorserMsp];

    /// <summary>The ledger key and policy, or an error for the usage exit code.</summary>
    public static (string? LedgerKey, TrustPolicy? Policy, string? Error) Read(ParseResult parse, string? ledgerKeyFlag)
    {
        var fromFile = new TrustPolicy();
        string? ledgerKey = null;
        if (parse.GetValue(File) is { } file)
        {
            try { (ledgerKey, fromFile) = ReadFile(System.IO.File.ReadAllText(file.FullName)); }
            catch (Exception e) when (e is IOException or JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                return (null, null, $"--policy {file.Name}: {e.Message}");
            }
        }
        var witnessKeys = (fromFile.WitnessKeys ?? []).Concat(parse.GetValue(WitnessKey) ?? []).Distinct(StringComparer.Ordinal).ToList();
        var msps = (fromFile.FabricMspIds ?? []).Concat(parse.GetValue(FabricEndorserMsp) ?? []).Distinct(StringComparer.Ordinal).ToList();
        var quorum = parse.GetValue(WitnessQuorum) ?? fromFile.WitnessQuorum;
        if (quorum is < 0) return (null, null, "--witness-quorum must be 0 or more.");
        var policy = new TrustPolicy(witnessKeys, quorum,
            parse.GetValue(EvmChainId) ?? fromFile.EvmChainId, parse.GetValue(EvmContract) ?? fromFile.EvmContract, parse.GetValue(EvmAccount) ?? fromFile.EvmAccount,
            parse.GetValue(FabricChannel) ?? fromFile.FabricChannel, parse.GetValue(FabricChaincode) ?? fromFile.FabricChaincode, msps);
        return (ledgerKeyFlag ?? ledgerKey, policy, null);
    }

    internal static (string? LedgerKey, TrustPolicy Policy) ReadFile(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        static string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetString() : null;
        static JsonElement Obj(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v : default;
        static List<string> List(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
        var (witnesses, evm, fabric) = (Obj(root, "witnesses"), Obj(root, "evm"), Obj(root, "fabric"));
        int? quorum = witnesses.ValueKind == JsonValueKind.Object && witnesses.TryGetProperty("quorum", out var q) ? q.GetInt32() : null;
        long? chainId = evm.ValueKind == JsonValueKind.Object && evm.TryGetProperty("chainId", out var c) ? c.GetInt64() : null;
        return (Text(root, "ledgerKey"), new TrustPolicy(List(witnesses, "keys"), quorum, chainId, Text(evm, "contract"), Text(evm, "account"),
            Text(fabric, "channel"), Text(fabric, "chaincode"), List(fabric, "mspIds")));
    }

}
