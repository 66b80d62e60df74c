using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace AssetLedger.Infrastructure.Ledger.Anchors;

/// <summary>One checkpoint as a CheckpointAnchor contract holds it, with where its Anchored event is.</summary>
public sealed record EvmAnchoredCheckpoint(
    long ChainId, string ContractAddress, long TreeSize, byte[] Root, byte[] PreviousRoot, byte[] Signature,
    long BlockNumber, string BlockHash, string TransactionHash, long LogIndex, DateTimeOffset BlockTime);

/// <summary>
/// Reads a CheckpointAnchor contract; needs no key. This is what a verifier uses online: given the endpoint,
/// the contract address (from the anchor receipt) and a tree size, <see cref="AnchoredRoot"/> returns the root the
/// chain holds for it, to compare with the checkpoint in hand.
/// </summary>
public sealed class EvmAnchorReader
{
    readonly IWeb3 _web3;
    readonly TimeSpan _timeout;

    /// <param name="rpcTimeout">Longest wait for one call (default 10 s): a node that does not answer is an error, not a hang.</param>
    public EvmAnchorReader(string rpcUrl, TimeSpan? rpcTimeout = null) : this(new Web3(new RpcClient(new Uri(rpcUrl))), rpcTimeout ?? TimeSpan.FromSeconds(10)) { }

    internal EvmAnchorReader(IWeb3 web3, TimeSpan rpcTimeout) => (_web3, _timeout) = (web3, rpcTimeout);

    /// <summary>The root anchored for <paramref name="treeSize"/> at <paramref name="contractAddress"/>; null if the contract holds none for that size.</summary>
    public static async Task<byte[]?> ReadAnchoredRoot(string rpcUrl, string contractAddress, long treeSize, CancellationToken ct) =>
        await new EvmAnchorReader(rpcUrl).AnchoredRoot(contractAddress, treeSize, ct);

    long? _chainId;

    /// <summary>The chain id the endpoint reports (asked once, then remembered).</summary>
    public async Task<long> ChainId(CancellationToken ct) => _chainId ??= (long)(await _web3.Eth.ChainId.SendRequestAsync().WaitAsync(_timeout, ct)).Value;

    public async Task<byte[]?> AnchoredRoot(string contractAddress, long treeSize, CancellationToken ct)
    {
        var root = await _web3.Eth.GetContractQueryHandler<RootOfFunction>()
            .QueryAsync<byte[]>(contractAddress, new RootOfFunction { Size = checked((ulong)treeSize) }).WaitAsync(_timeout, ct);
        return Bytes32.IsZero(root) ? null : root;
    }

    /// <summary>The last anchored size and root ((0, zero) before the first).</summary>
    public async Task<(long TreeSize, byte[] Root)> Latest(string contractAddress, CancellationToken ct)
    {
        var latest = await _web3.Eth.GetContractQueryHandler<LatestFunction>()
            .QueryDeserializingToObjectAsync<LatestOutput>(new LatestFunction(), contractAddress).WaitAsync(_timeout, ct);
        return ((long)latest.Size, latest.Root);
    }

    public async Task<long> Count(string contractAddress, CancellationToken ct) =>
        (long)await _web3.Eth.GetContractQueryHandler<CountFunction>().QueryAsync<ulong>(contractAddress, new CountFunction()).WaitAsync(_timeout, ct);

    public async Task<string> Owner(string contractAddress, CancellationToken ct) =>
        await _web3.Eth.GetContractQueryHandler<OwnerFunction>().QueryAsync<string>(contractAddress, new OwnerFunction()).WaitAsync(_timeout, ct);

    public async Task<bool> HasCode(string contractAddress, CancellationToken ct)
    {
        var code = await _web3.Eth.GetCode.SendRequestAsync(contractAddress).WaitAsync(_timeout, ct);
        return code is { Length: > 2 } && code != "0x";
    }

    /// <summary>The checkpoint of <paramref name="treeSize"/> with its transaction, block and log index; null if not anchored.</summary>
    public async Task<EvmAnchoredCheckpoint?> Find(string contractAddress, long treeSize, CancellationToken ct)
    {
        var entry = await _web3.Eth.GetContractQueryHandler<EntryOfFunction>()
            .QueryDeserializingToObjectAsync<EntryOfOutput>(new EntryOfFunction { Size = checked((ulong)treeSize) }, contractAddress).WaitAsync(_timeout, ct);
        if (Bytes32.IsZero(entry.Root)) return null;
        var block = (long)entry.BlockNumber;
        var found = await Events(contractAddress, treeSize, block, block, ct);
        return found.Count == 1 ? found[0]
            : throw new InvalidOperationException($"Block {block} holds {found.Count} Anchored events for size {treeSize} at {contractAddress}, not one.");
    }

    /// <summary>Every Anchored event of the contract between two blocks (all sizes when <paramref name="treeSize"/> is null), in chain order.</summary>
    public async Task<IReadOnlyList<EvmAnchoredCheckpoint>> Events(string contractAddress, long? treeSize, long fromBlock, long? toBlock, CancellationToken ct)
    {
        var chainId = await ChainId(ct);
        var handler = _web3.Eth.GetEvent<AnchoredEvent>(contractAddress);
        var from = new BlockParameter(new HexBigInteger(fromBlock));
        var to = toBlock is { } t ? new BlockParameter(new HexBigInteger(t)) : BlockParameter.CreateLatest();
        var filter = treeSize is { } size ? handler.CreateFilterInput(checked((ulong)size), from, to) : handler.CreateFilterInput(from, to);
        var logs = await handler.GetAllChangesAsync(filter).WaitAsync(_timeout, ct);
        var times = new Dictionary<BigInteger, DateTimeOffset>();
        var list = new List<EvmAnchoredCheckpoint>();
        foreach (var log in logs.OrderBy(l => l.Log.BlockNumber.Value).ThenBy(l => l.Log.LogIndex.Value))
        {
            if (log.Log.Removed) continue;
            var number = log.Log.BlockNumber.Value;
            if (!times.TryGetValue(number, out var time))
            {
                var b = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(number)).WaitAsync(_timeout, ct);
                times[number] = time = DateTimeOffset.FromUnixTimeSeconds((long)b.Timestamp.Value);
            }
            list.Add(new EvmAnchoredCheckpoint(chainId, Checksummed(contractAddress), (long)log.Event.Size, log.Event.Root, log.Event.Prev, log.Event.Sig,
                (long)number, log.Log.BlockHash, log.Log.TransactionHash, (long)log.Log.LogIndex.Value, time));
        }
        return list;
    }

    internal static string Checksummed(string address) => new Nethereum.Util.AddressUtil().ConvertToChecksumAddress(address);
}
