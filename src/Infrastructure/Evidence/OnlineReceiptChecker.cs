using System.Globalization;
using System.Text;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Ledger.Anchors.Fabric;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Evidence;

namespace AssetLedger.Infrastructure.Evidence;

/// <summary>An EVM JSON-RPC endpoint a verifier may ask: for one chain id, or (no id) for whichever chain it reports.</summary>
public sealed record EvmEndpoint(string RpcUrl, long? ChainId = null)
{
    /// <summary><c>http://host:8545</c> or <c>31337=http://host:8545</c>; throws FormatException otherwise.</summary>
    public static EvmEndpoint Parse(string text)
    {
        text = text.Trim();
        long? chainId = null;
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (eq > 0 && (scheme < 0 || eq < scheme))
        {
            if (!long.TryParse(text[..eq], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
                throw new FormatException($"'{text[..eq]}' in '{text}' is not a chain id (expected <chain id>=<url>).");
            chainId = id;
            text = text[(eq + 1)..];
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new FormatException($"'{text}' is not an http(s) JSON-RPC URL.");
        return new EvmEndpoint(text, chainId);
    }

    /// <summary>Endpoints separated by commas, semicolons or white space (the ASSETLEDGER_EVM_RPC variable).</summary>
    public static IReadOnlyList<EvmEndpoint> ParseList(string? text) =>
        (text ?? "").Split([',', ';', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();

    public override string ToString() => ChainId is { } id ? $"{id}={RpcUrl}" : RpcUrl;
}

/// <summary>
/// A Fabric Gateway peer to check Fabric receipts on (each receipt names its channel and chaincode): the endpoint
/// (<c>https://host:7051</c> with the TLS root CA file, or <c>http://</c>), the name the peer's TLS certificate carries
/// when it is not the endpoint's host, and a client identity of the channel (MSP id, certificate and private key PEM
/// files, or MSP <c>signcerts/</c> and <c>keystore/</c> folders). Reading needs no endorsement policy: any member may.
/// </summary>
public sealed record FabricGatewayOptions(string Endpoint, string? TlsRootCertFile, string? TlsServerName, string MspId, string CertificateFile, string PrivateKeyFile)
{
    public override string ToString() => Endpoint;
}

/// <summary>What the online check may ask.</summary>
/// <param name="Evm">EVM endpoints; a receipt of a chain none of them serves is reported as not checked (a failure).</param>
/// <param name="RpcTimeout">Longest wait for one JSON-RPC or Gateway call (default 10 s).</param>
/// <param name="Fabric">A Gateway peer for the Fabric receipts; without one they are listed as not checked online.</param>
/// <param name="Policy">The chain identity the person pinned: only receipts on the pinned EVM contract are asked online (any other proves
/// nothing to them, however well it checks out), and the contract's owner must be the pinned anchoring account.</param>
public sealed record OnlineOptions(IReadOnlyList<EvmEndpoint> Evm, TimeSpan? RpcTimeout = null, FabricGatewayOptions? Fabric = null, TrustPolicy? Policy = null);

/// <summary>
/// The online half of receipt verification (docs/evidence-bundle.md §9): for every EVM receipt of a bundle's
/// <c>anchors.json</c>, asks an endpoint of that chain for its chain id (<c>eth_chainId</c>), then the contract for the
/// root it holds for the receipt's tree size (<see cref="EvmAnchorReader.AnchoredRoot"/>) and the Anchored event that put
/// it there (<see cref="EvmAnchorReader.Find"/>), and compares them with the bundle's checkpoint and with the receipt
/// (root, previous root, signature, block number and hash, transaction hash, log index). For every Fabric receipt, given
/// a Gateway peer, <see cref="FabricChannelCheck.Online"/>: the channel holds the checkpoint under the receipt's
/// transaction, committed VALID in the receipt's block; without one, Fabric receipts are listed as not checked online.
/// It never throws for what the network does: an endpoint that is down, slow or answers nonsense fails the check with a
/// message. Local receipts are offline only.
/// </summary>
public static class OnlineReceiptChecker
{
    public const string CheckName = "chain receipts (online)";

    public static async Task<VerificationCheck> Check(IReadOnlyDictionary<string, byte[]> files, OnlineOptions options, CancellationToken ct)
    {
        var failures = new List<string>();
        List<BundleReceipt> receipts;
        try { receipts = ChainReceipts.Read(files.TryGetValue(BundleFormat.Anchors, out var a) ? Encoding.UTF8.GetString(a) : ""); }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return Result([$"{BundleFormat.Anchors}: not a receipt list ({e.Message})"], "");
        }
        var roots = CheckpointRoots(files);
        var endpoints = new Endpoints(options);
        using var gateway = new Gateway(options);
        int evm = 0, fabric = 0, fabricUnchecked = 0, evmUnpinned = 0;
        var policy = options.Policy ?? new TrustPolicy();
        var owners = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in receipts)
        {
            switch (r.Kind)
            {
                case ReceiptKind.Local: continue;
                case ReceiptKind.Fabric when options.Fabric is null: fabricUnchecked++; continue;
                case ReceiptKind.Fabric:
                    var count = failures.Count;
                    await CheckFabric(r, gateway, failures, ct);
                    if (failures.Count == count) fabric++;
                    continue;
                case ReceiptKind.Unknown:
                    failures.Add($"{r.Where}: not checked online: a receipt of an unknown kind");
                    continue;
            }
            var problems = new List<string>();
            var proof = ChainReceipts.ReadEvm(r, problems);
            if (proof is null)
            {
                failures.Add($"{r.Where}: not checked online: the receipt is not well formed ({string.Join("; ", problems.Select(p => p[(r.Where.Length + 2)..]))})");
                continue;
            }
            if (!policy.PinsEvm) { evmUnpinned++; continue; }
            if (proof.ChainId != policy.EvmChainId || !string.Equals(proof.ContractAddress, policy.EvmContract, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{r.Where}: not checked online: {proof.ContractAddress} on chain {proof.ChainId} is not the pinned contract {policy.EvmContract} on chain {policy.EvmChainId}");
                continue;
            }
            var before = failures.Count;
            if (policy.EvmAccount is { } account && owners.Add(proof.ContractAddress)) await CheckOwner(r, proof, account, endpoints, failures, ct);
            await CheckEvm(r, proof, roots.GetValueOrDefault(r.TreeSize), endpoints, failures, ct);
            if (failures.Count == before) evm++;
        }
        var parts = new List<string>();
        if (evm > 0)
            parts.Add($"{evm} EVM receipts: the chain holds each checkpoint's root, with the receipt's block, transaction and log index"
                      + (endpoints.Used.Count > 0 ? $" ({string.Join(", ", endpoints.Used.Order(StringComparer.Ordinal))})" : ""));
        if (fabric > 0)
            parts.Add($"{fabric} Fabric receipts: the channel holds each checkpoint under the receipt's transaction, committed VALID in the receipt's block (gateway {options.Fabric})");
        if (evmUnpinned > 0) parts.Add($"not checked online: {evmUnpinned} EVM receipts (no pinned chain and contract: --evm-chain-id, --evm-contract)");
        if (fabricUnchecked > 0) parts.Add($"not checked online: {fabricUnchecked} Fabric receipts (no Fabric gateway configured)");
        return Result(failures, parts.Count > 0 ? string.Join("; ", parts) : "no chain receipts in the bundle");
    }

    static VerificationCheck Result(List<string> failures, string passSummary) =>
        new(CheckName, failures.Count == 0, failures.Count == 0 ? passSummary : $"{failures.Count} failed", failures);

    /// <summary>The pinned contract was deployed by, and anchors only for, the pinned account (its immutable owner).</summary>
    static async Task CheckOwner(BundleReceipt r, EvmReceiptProof p, string account, Endpoints endpoints, List<string> failures, CancellationToken ct)
    {
        var (_, reader, why) = await endpoints.For(p.ChainId, ct);
        if (reader is null) { failures.Add($"{r.Where}: owner not checked online: {why}"); return; }
        try
        {
            var owner = await reader.Owner(p.ContractAddress, ct);
            if (!string.Equals(owner, account, StringComparison.OrdinalIgnoreCase))
                failures.Add($"{r.Where}: the contract's owner is {owner}, not the pinned anchoring account {account}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            failures.Add($"{r.Where}: owner not checked online: {e.Message}");
        }
    }

    static async Task CheckEvm(BundleReceipt r, EvmReceiptProof p, byte[]? checkpointRoot, Endpoints endpoints, List<string> failures, CancellationToken ct)
    {
        void Bad(string what) => failures.Add($"{r.Where}: {what}");
        var (endpoint, reader, why) = await endpoints.For(p.ChainId, ct);
        if (reader is null) { Bad($"not checked online: {why}"); return; }
        try
        {
            if (!await endpoints.HasCode(endpoint!, reader, p.ContractAddress, ct))
            {
                Bad($"contractAddress: no contract at {p.ContractAddress} on chain {p.ChainId} ({endpoint!.RpcUrl}): the anchor is not on this chain");
                return;
            }
            var root = await reader.AnchoredRoot(p.ContractAddress, p.TreeSize, ct);
            if (root is null) { Bad($"the contract at {p.ContractAddress} on chain {p.ChainId} holds no root for size {p.TreeSize}"); return; }
            if (checkpointRoot is null) Bad($"checkpoint {r.TreeSize} is not in the bundle to compare the chain's root with");
            else if (!root.AsSpan().SequenceEqual(checkpointRoot))
                Bad($"the chain holds root {ChainReceipts.Hex(root)} for size {p.TreeSize}, not the root of {BundleFormat.CheckpointFile(r.TreeSize)} ({ChainReceipts.Hex(checkpointRoot)})");
            if (!root.AsSpan().SequenceEqual(p.Root)) Bad($"root: the chain holds {ChainReceipts.Hex(root)}, the receipt says {ChainReceipts.Hex(p.Root)}");
            var held = await reader.Find(p.ContractAddress, p.TreeSize, ct);
            if (held is null) { Bad($"the contract at {p.ContractAddress} has no Anchored event for size {p.TreeSize}"); return; }
            if (!held.PreviousRoot.AsSpan().SequenceEqual(p.PreviousRoot)) Bad($"previousRoot: the chain holds {ChainReceipts.Hex(held.PreviousRoot)}, the receipt says {ChainReceipts.Hex(p.PreviousRoot)}");
            if (!held.Signature.AsSpan().SequenceEqual(p.Signature)) Bad($"signature: the chain holds {ChainReceipts.Hex(held.Signature)}, the receipt says {ChainReceipts.Hex(p.Signature)}");
            if (held.BlockNumber != p.BlockNumber) Bad($"blockNumber: the chain has the anchor in block {held.BlockNumber}, the receipt says {p.BlockNumber}");
            if (!string.Equals(held.BlockHash, p.BlockHash, StringComparison.OrdinalIgnoreCase)) Bad($"blockHash: the chain says {held.BlockHash}, the receipt says {p.BlockHash}");
            if (!string.Equals(held.TransactionHash, p.TransactionHash, StringComparison.OrdinalIgnoreCase))
                Bad($"transactionHash: the chain has the anchor in transaction {held.TransactionHash}, the receipt says {p.TransactionHash}");
            if (held.LogIndex != p.LogIndex) Bad($"logIndex: the chain says {held.LogIndex}, the receipt says {p.LogIndex}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Bad($"reading contract {p.ContractAddress} on chain {p.ChainId} at {endpoint!.RpcUrl} failed: {Message(e)}");
        }
    }

    static async Task CheckFabric(BundleReceipt r, Gateway gateway, List<string> failures, CancellationToken ct)
    {
        var channel = r.Proof.ValueKind == System.Text.Json.JsonValueKind.Object && r.Proof.TryGetProperty("channel", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : null;
        var chaincode = r.Proof.ValueKind == System.Text.Json.JsonValueKind.Object && r.Proof.TryGetProperty("chaincode", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String ? n.GetString() : null;
        if (string.IsNullOrEmpty(channel) || string.IsNullOrEmpty(chaincode)) { failures.Add($"{r.Where}: not checked online: the proof names no channel and chaincode"); return; }
        var (client, error) = gateway.Client();
        if (client is null) { failures.Add($"{r.Where}: not checked online: {error}"); return; }
        IReadOnlyList<string> problems;
        try
        {
            var receipt = new AnchorReceipt(r.Anchor, r.TreeSize, r.TransactionReference, DateTimeOffset.UnixEpoch, r.Proof.GetRawText());
            problems = await FabricChannelCheck.Online(receipt, new FabricGatewayContract(client, channel, chaincode), ct);
        }
        catch (System.Text.Json.JsonException e) { problems = [$"the channel's answer or the receipt is not a checkpoint record ({e.Message})"]; }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            problems = [$"asking the Fabric gateway {gateway.Endpoint} about channel {channel}, chaincode {chaincode} failed: {Message(e)}"];
        }
        // FabricChannelCheck names the receipt by anchor and size; here it is named by its place in the file.
        var prefix = $"{r.Anchor} receipt {r.TreeSize}";
        failures.AddRange(problems.Select(p => p.StartsWith(prefix, StringComparison.Ordinal) ? r.Where + p[prefix.Length..] : $"{r.Where}: {p}"));
    }

    /// <summary>The Gateway connection, made on first use; a failure to make it is said once per receipt.</summary>
    sealed class Gateway(OnlineOptions options) : IDisposable
    {
        FabricGatewayClient? _client;
        string? _error;

        public string Endpoint => options.Fabric?.Endpoint ?? "";

        public (FabricGatewayClient? Client, string? Error) Client()
        {
            if (_client is not null || _error is not null) return (_client, _error);
            var f = options.Fabric!;
            try
            {
                if (!Uri.TryCreate(f.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                    throw new FormatException($"'{f.Endpoint}' is not an https:// or http:// address");
                var identity = FabricIdentity.FromFiles(f.MspId, f.CertificateFile, f.PrivateKeyFile);
                var tlsRoot = string.IsNullOrWhiteSpace(f.TlsRootCertFile) ? null : File.ReadAllText(f.TlsRootCertFile);
                var timeout = options.RpcTimeout ?? TimeSpan.FromSeconds(10);
                // A transaction the peer does not know is waited for up to the commit timeout: a verifier waits no longer than for any call.
                _client = FabricGatewayClient.Connect(uri, tlsRoot, f.TlsServerName, identity, new FabricGatewayTimeouts { Evaluate = timeout, Commit = timeout, Endorse = timeout, Submit = timeout });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException or InvalidOperationException
                                           or System.Security.Cryptography.CryptographicException)
            {
                _error = $"could not use the Fabric gateway {f.Endpoint}: {Message(e)}";
            }
            return (_client, _error);
        }

        public void Dispose() => _client?.Dispose();
    }

    /// <summary>Each checkpoint file's size and root (their signatures are the offline check's business).</summary>
    static Dictionary<long, byte[]> CheckpointRoots(IReadOnlyDictionary<string, byte[]> files)
    {
        var roots = new Dictionary<long, byte[]>();
        foreach (var (path, bytes) in files.Where(f => f.Key.StartsWith(BundleFormat.CheckpointDirectory, StringComparison.Ordinal)))
        {
            var note = Encoding.UTF8.GetString(bytes);
            var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
            try
            {
                var body = CheckpointBody.Parse(split < 0 ? note : note[..(split + 1)]);
                if (path == BundleFormat.CheckpointFile(body.TreeSize)) roots[body.TreeSize] = body.RootHash;
            }
            catch (FormatException) { }
        }
        return roots;
    }

    static string Message(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null && parts.Count < 3; x = x.InnerException)
            if (!string.IsNullOrWhiteSpace(x.Message) && !parts.Contains(x.Message)) parts.Add(x.Message.Trim());
        return e is TimeoutException ? $"no answer in time ({string.Join(": ", parts)})" : string.Join(": ", parts);
    }

    /// <summary>The endpoints, each asked its chain id once; one that fails is not asked again.</summary>
    sealed class Endpoints(OnlineOptions options)
    {
        readonly Dictionary<EvmEndpoint, (EvmAnchorReader? Reader, long ChainId, string? Error)> _asked = [];
        readonly Dictionary<(EvmEndpoint, string), bool> _code = [];
        public HashSet<string> Used { get; } = [];

        async Task<(EvmAnchorReader? Reader, long ChainId, string? Error)> Ask(EvmEndpoint e, CancellationToken ct)
        {
            if (_asked.TryGetValue(e, out var known)) return known;
            try
            {
                var reader = new EvmAnchorReader(e.RpcUrl, options.RpcTimeout ?? TimeSpan.FromSeconds(10));
                return _asked[e] = (reader, await reader.ChainId(ct), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return _asked[e] = (null, 0, $"{e.RpcUrl} did not answer eth_chainId: {Message(ex)}");
            }
        }

        /// <summary>An endpoint for the chain: one given for its id (which must report it), else one given without an id that reports it.</summary>
        public async Task<(EvmEndpoint? Endpoint, EvmAnchorReader? Reader, string? Why)> For(long chainId, CancellationToken ct)
        {
            var named = options.Evm.Where(e => e.ChainId == chainId).ToList();
            var candidates = named.Count > 0 ? named : options.Evm.Where(e => e.ChainId is null).ToList();
            if (candidates.Count == 0)
                return (null, null, $"no endpoint for chain {chainId} (give --evm-rpc {chainId}=<url> or set ASSETLEDGER_EVM_RPC)");
            var reasons = new List<string>();
            foreach (var e in candidates)
            {
                var (reader, reported, error) = await Ask(e, ct);
                if (error is not null) { reasons.Add(error); continue; }
                if (reported == chainId)
                {
                    Used.Add($"chain {chainId} at {e.RpcUrl}");
                    return (e, reader, null);
                }
                reasons.Add($"{e.RpcUrl} serves chain {reported} (eth_chainId), not the receipt's chainId {chainId}");
            }
            return (null, null, string.Join("; ", reasons));
        }

        public async Task<bool> HasCode(EvmEndpoint e, EvmAnchorReader reader, string contract, CancellationToken ct)
        {
            var key = (e, contract.ToLowerInvariant());
            if (_code.TryGetValue(key, out var has)) return has;
            return _code[key] = await reader.HasCode(contract, ct);
        }
    }
}
