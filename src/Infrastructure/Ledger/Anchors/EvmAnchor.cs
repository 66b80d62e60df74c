using System.Numerics;
using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Anchors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Npgsql;

namespace AssetLedger.Infrastructure.Ledger.Anchors;

/// <summary>
/// Anchors checkpoints to a CheckpointAnchor contract on an EVM chain: <c>anchor(size, root, prev, sig)</c>
/// where prev is the root of the ledger's checkpoint before (zero for the first) and sig the ledger's signature
/// line of the checkpoint note (4-byte key id ‖ Ed25519 signature). Only these hashes go on chain.
/// Deploys the contract on first use when none is configured and records its address in <c>evm_contracts</c>.
/// Submit is idempotent: if the chain already holds the size (a resubmission after a crash or a lost answer),
/// the receipt is read back from the chain; the receipt (block, transaction, log index, contract, chain id,
/// block time) is always built from what the chain holds, so a later read gives the same receipt.
/// </summary>
public sealed class EvmAnchor : IAnchor
{
    readonly EvmAnchorOptions _options;
    readonly Web3 _web3;
    readonly EvmAnchorReader _reader;
    readonly EvmDeployments _deployments;
    readonly CheckpointStore _checkpoints;
    readonly ILogger _log;
    readonly SemaphoreSlim _gate = new(1, 1);
    readonly Dictionary<long, string> _sent = [];
    string? _contract;
    // The tail of the transactions sent ahead: the last size, its root and nonce, and the gas each follower gets.
    (long Size, byte[] Root, BigInteger Nonce, BigInteger Gas)? _ahead;

    public EvmAnchor(EvmAnchorOptions options, NpgsqlDataSource db, ILogger<EvmAnchor>? log = null)
    {
        options.Validate();
        _options = options;
        var account = new Account(options.ReadPrivateKey(), options.ChainId);
        _web3 = new Web3(account, new RpcClient(new Uri(options.RpcUrl!)));
        if (options.LegacyTransactions) _web3.TransactionManager.UseLegacyAsDefault = true;
        AccountAddress = account.Address;
        _reader = new EvmAnchorReader(_web3, options.RpcTimeout);
        _deployments = new EvmDeployments(db);
        _checkpoints = new CheckpointStore(db);
        _log = log ?? (ILogger)NullLogger.Instance;
    }

    public string Name => _options.AnchorName;

    /// <summary>The anchoring account (public address; the key stays in its file or variable).</summary>
    public string AccountAddress { get; }

    /// <summary>The contract in use, once known.</summary>
    public string? ContractAddress => _contract;

    public EvmAnchorReader Reader => _reader;

    public async Task<AnchorReceipt> Submit(CheckpointToAnchor checkpoint, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var contract = await EnsureContract(ct);
            var size = checkpoint.TreeSize;
            var root = Convert.FromHexString(checkpoint.RootHash);
            if (_sent.TryGetValue(size, out var inFlight))
            {
                // Sent ahead, or by a try that timed out: wait for that transaction rather than send another.
                var r = await WaitForReceipt(inFlight, ct, contract);
                if (r is null || r.Status?.Value != 1) ForgetFrom(size); // dropped, timed out or reverted: resend it and all sent after it
            }
            EvmAnchoredCheckpoint? held;
            try { held = await _reader.Find(contract, size, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException) { await ThrowIfContractGone(contract, ex, ct); throw; }
            if (held is not null)
            {
                ForgetUpTo(size);
                return Matching(held, root);
            }
            ForgetFrom(size);

            var prev = await PreviousRoot(size, ct);
            var (latestSize, latestRoot) = await _reader.Latest(contract, ct);
            if (latestSize >= size || !latestRoot.AsSpan().SequenceEqual(prev))
            {
                await ThrowIfContractGone(contract, null, ct);
                throw new InvalidOperationException(
                    $"Contract {contract} on chain {_options.ChainId} holds size {latestSize} (root {Hex(latestRoot)}) last, not the ledger's checkpoint before {size} " +
                    $"(root {Hex(prev)}): the chain was reset or the contract serves another ledger; configure a new contract and anchor name.");
            }

            var tx = await SendWithFollowers(contract, checkpoint, root, prev, ct);
            var receipt = await WaitForReceipt(tx, ct, contract)
                ?? throw new TimeoutException($"Transaction {tx} anchoring size {size} has no receipt after {_options.ReceiptTimeout}; it is checked again on the next try.");
            if (receipt.Status?.Value != 1)
            {
                ForgetFrom(size);
                throw new InvalidOperationException($"Transaction {tx} anchoring size {size} failed in block {receipt.BlockNumber?.Value}.");
            }
            var anchored = await _reader.Find(contract, size, ct) ?? throw new InvalidOperationException($"Transaction {tx} succeeded but the contract holds no size {size}.");
            ForgetUpTo(size);
            return Matching(anchored, root);
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// Sends the checkpoint's transaction and, up to <see cref="EvmAnchorOptions.MaxInFlight"/> in all, those of the
    /// checkpoints after it, with consecutive nonces: the chain executes them in nonce order, each naming the root
    /// before it, so several land in one block and stay in order. Should one fail, those after it are refused by the
    /// contract (wrong previous root) and sent again when their turn comes.
    /// </summary>
    async Task<string> SendWithFollowers(string contract, CheckpointToAnchor checkpoint, byte[] root, byte[] prev, CancellationToken ct)
    {
        var handler = _web3.Eth.GetContractTransactionHandler<AnchorFunction>();
        var first = new AnchorFunction { Size = (ulong)checkpoint.TreeSize, Root = root, Prev = prev, Sig = LedgerSignature(checkpoint) };
        try { first.Gas = (await handler.EstimateGasAsync(contract, first).WaitAsync(_options.RpcTimeout, ct)).Value; }
        catch (Exception ex) when (CheckpointAnchorRefusedException.From(ex) is { } refused) { throw refused; }
        var nonce = (await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(AccountAddress, BlockParameter.CreatePending()).WaitAsync(_options.RpcTimeout, ct)).Value;
        first.Nonce = nonce;
        var tx = await handler.SendRequestAsync(contract, first).WaitAsync(_options.RpcTimeout * 3, ct);
        _sent[checkpoint.TreeSize] = tx;
        if (_options.MaxInFlight <= 1) return tx;

        // The first anchor on a contract sets fresh storage and costs the most; later ones cost less than this.
        _ahead = (checkpoint.TreeSize, root, nonce, first.Gas.Value * 5 / 4);
        await SendAhead(contract, ct);
        return tx;
    }

    /// <summary>
    /// Sends the checkpoints cut after the last one sent, while there is room in <see cref="EvmAnchorOptions.MaxInFlight"/>:
    /// right after a submission, and again while its receipt is awaited, so a checkpoint cut meanwhile goes into the
    /// next block instead of waiting for this one's receipt (which would cost it a block more).
    /// </summary>
    async Task SendAhead(string contract, CancellationToken ct)
    {
        if (_ahead is not { } ahead || _options.MaxInFlight <= 1 || _sent.Count >= _options.MaxInFlight) return;
        var handler = _web3.Eth.GetContractTransactionHandler<AnchorFunction>();
        foreach (var next in await _checkpoints.Range(ahead.Size, _options.MaxInFlight - _sent.Count, ct))
        {
            var message = new AnchorFunction
            {
                Size = (ulong)next.TreeSize, Root = next.RootHash, Prev = ahead.Root, Sig = LedgerSignature(AnchorWorker.ToAnchor(next)),
                Gas = ahead.Gas, Nonce = ahead.Nonce + 1,
            };
            try { _sent[next.TreeSize] = await handler.SendRequestAsync(contract, message).WaitAsync(_options.RpcTimeout, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Its nonce may or may not be taken now: send nothing more ahead until a submission starts afresh from the node's count.
                _log.LogDebug(ex, "Sending checkpoint {Size} ahead to {Anchor} failed; it is sent in its turn.", next.TreeSize, Name);
                _ahead = null;
                return;
            }
            ahead = (next.TreeSize, next.RootHash, ahead.Nonce + 1, ahead.Gas);
            _ahead = ahead;
        }
    }

    /// <summary>
    /// A contract without code is a chain that was reset (a development node restarted empty): its anchors are gone.
    /// Deploying a new contract quietly would leave the stored receipts pointing at nothing, so the target stops here
    /// and says so; a new anchor name (or a configured contract) anchors the whole history afresh.
    /// </summary>
    async Task ThrowIfContractGone(string contract, Exception? cause, CancellationToken ct)
    {
        if (await _reader.HasCode(contract, ct)) return;
        _contract = null;
        _sent.Clear();
        _ahead = null;
        throw new InvalidOperationException(
            $"No contract at {contract} on chain {_options.ChainId} any more: the chain was reset, and the anchors it held are gone. " +
            $"Give this target a new AssetLedger:Chains:Evm:Name to anchor the whole history to a new contract.", cause);
    }

    void ForgetFrom(long size)
    {
        foreach (var key in _sent.Keys.Where(k => k >= size).ToList()) _sent.Remove(key);
        if (_ahead is { } a && a.Size >= size) _ahead = null;
    }

    void ForgetUpTo(long size)
    {
        foreach (var key in _sent.Keys.Where(k => k <= size).ToList()) _sent.Remove(key);
    }

    /// <summary>The contract to anchor to: configured, recorded, or deployed now (and recorded).</summary>
    public async Task<string> EnsureContract(CancellationToken ct)
    {
        if (_contract is not null) return _contract;
        var chainId = await _reader.ChainId(ct);
        if (chainId != _options.ChainId)
            throw new InvalidOperationException($"{_options.RpcUrl} serves chain {chainId}, not the configured chain {_options.ChainId}.");

        var address = _options.ContractAddress is { Length: > 0 } configured ? configured
            : (await _deployments.Find(Name, ct))?.ContractAddress ?? await Deploy(ct);
        if (!await _reader.HasCode(address, ct))
            throw new InvalidOperationException($"No contract at {address} on chain {chainId}: the chain was reset or the address is wrong.");
        var owner = await _reader.Owner(address, ct);
        if (!string.Equals(owner, AccountAddress, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Contract {address} belongs to {owner}; this ledger anchors as {AccountAddress}.");
        return _contract = EvmAnchorReader.Checksummed(address);
    }

    async Task<string> Deploy(CancellationToken ct)
    {
        var tx = await _web3.Eth.GetContractDeploymentHandler<CheckpointAnchorDeployment>().SendRequestAsync(new CheckpointAnchorDeployment()).WaitAsync(_options.RpcTimeout * 3, ct);
        var receipt = await WaitForReceipt(tx, ct) ?? throw new TimeoutException($"Deployment transaction {tx} has no receipt after {_options.ReceiptTimeout}.");
        if (receipt.Status?.Value != 1 || string.IsNullOrEmpty(receipt.ContractAddress))
            throw new InvalidOperationException($"Deploying CheckpointAnchor failed (transaction {tx}).");
        var recorded = await _deployments.Record(new EvmDeployment(Name, _options.ChainId, EvmAnchorReader.Checksummed(receipt.ContractAddress), AccountAddress, tx,
            (long)receipt.BlockNumber.Value, DateTimeOffset.UtcNow), ct);
        _log.LogInformation("Deployed CheckpointAnchor for {Anchor} at {Address} (transaction {Tx}, block {Block}).", Name, recorded.ContractAddress, tx, recorded.DeployBlock);
        return recorded.ContractAddress;
    }

    /// <summary>
    /// Polls for a receipt until <see cref="EvmAnchorOptions.ReceiptTimeout"/>; null on timeout or if the node no longer knows the
    /// transaction. With <paramref name="contract"/>, checkpoints cut meanwhile are sent ahead every few polls.
    /// </summary>
    async Task<TransactionReceipt?> WaitForReceipt(string tx, CancellationToken ct, string? contract = null)
    {
        var deadline = DateTime.UtcNow + _options.ReceiptTimeout;
        for (var i = 0; ; i++)
        {
            var receipt = await _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(tx).WaitAsync(_options.RpcTimeout, ct);
            if (receipt is not null) return receipt;
            if (DateTime.UtcNow >= deadline) return null;
            // Every 20 polls: a node restarted without its pool has forgotten the transaction, so it must be sent again.
            if (i % 20 == 19 && await _web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(tx).WaitAsync(_options.RpcTimeout, ct) is null) return null;
            if (contract is not null && i % 2 == 1) await SendAhead(contract, ct);
            await Task.Delay(_options.ReceiptPollInterval, ct);
        }
    }

    async Task<byte[]> PreviousRoot(long treeSize, CancellationToken ct) =>
        (await _checkpoints.Before(treeSize, ct))?.RootHash ?? Bytes32.Zero;

    AnchorReceipt Matching(EvmAnchoredCheckpoint held, byte[] root) =>
        held.Root.AsSpan().SequenceEqual(root) ? ToReceipt(Name, held)
            : throw new InvalidOperationException($"Contract {held.ContractAddress} holds root {Hex(held.Root)} for size {held.TreeSize}, not the ledger's {Hex(root)}.");

    /// <summary>The anchor receipt for a checkpoint as the chain holds it (also what a verifier rebuilds from the chain).</summary>
    public static AnchorReceipt ToReceipt(string anchorName, EvmAnchoredCheckpoint c) => new(anchorName, c.TreeSize, c.TransactionHash, c.BlockTime, JsonSerializer.Serialize(new
    {
        chain = "evm",
        chainId = c.ChainId,
        contractAddress = c.ContractAddress,
        blockNumber = c.BlockNumber,
        blockHash = c.BlockHash,
        transactionHash = c.TransactionHash,
        logIndex = c.LogIndex,
        treeSize = c.TreeSize,
        root = Hex(c.Root),
        previousRoot = Hex(c.PreviousRoot),
        signature = Hex(c.Signature),
    }));

    /// <summary>The ledger key's signature line of the checkpoint note, as bytes: 4-byte key id ‖ 64-byte Ed25519 signature.</summary>
    public static byte[] LedgerSignature(CheckpointToAnchor checkpoint)
    {
        var prefix = $"\u2014 {checkpoint.Origin} ";
        var line = checkpoint.SignedNote.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Checkpoint {checkpoint.TreeSize} carries no signature by {checkpoint.Origin}.");
        var blob = Convert.FromBase64String(line[prefix.Length..]);
        if (blob.Length != 68) throw new InvalidOperationException($"Checkpoint {checkpoint.TreeSize}'s signature is {blob.Length} bytes, not 4 + 64.");
        return blob;
    }

    static string Hex(byte[] b) => "0x" + Convert.ToHexStringLower(b);
}
