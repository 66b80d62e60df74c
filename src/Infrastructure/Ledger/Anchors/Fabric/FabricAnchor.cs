using System.Globalization;
using System.Text;
using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Anchors;

namespace AssetLedger.Infrastructure.Ledger.Anchors.Fabric;

/// <summary>The chaincode as the anchor sees it: submit, evaluate, and the commit of an earlier transaction.</summary>
public interface IFabricContract
{
    string Channel { get; }
    string Chaincode { get; }
    Task<FabricCommit> Submit(string function, IReadOnlyList<string> arguments, CancellationToken ct);
    Task<byte[]> Evaluate(string function, IReadOnlyList<string> arguments, CancellationToken ct);
    Task<FabricCommit> CommitStatus(string transactionId, CancellationToken ct);
    /// <summary>The signed envelope of a committed transaction, as the channel's ledger holds it.</summary>
    Task<byte[]> TransactionEnvelope(string transactionId, CancellationToken ct);
}

/// <summary>A <see cref="IFabricContract"/> over a <see cref="FabricGatewayClient"/>.</summary>
public sealed class FabricGatewayContract(FabricGatewayClient client, string channel, string chaincode) : IFabricContract
{
    public string Channel => channel;
    public string Chaincode => chaincode;
    public Task<FabricCommit> Submit(string function, IReadOnlyList<string> arguments, CancellationToken ct) => client.Submit(channel, chaincode, function, arguments, ct);
    public Task<byte[]> Evaluate(string function, IReadOnlyList<string> arguments, CancellationToken ct) => client.Evaluate(channel, chaincode, function, arguments, ct);
    public Task<FabricCommit> CommitStatus(string transactionId, CancellationToken ct) => client.CommitStatus(channel, transactionId, ct);
    public Task<byte[]> TransactionEnvelope(string transactionId, CancellationToken ct) => client.TransactionEnvelope(channel, transactionId, ct);
}

/// <summary>
/// Anchors checkpoints to a Fabric channel through the <c>checkpoint-anchor</c> chaincode (chain/fabric/chaincode):
/// <c>AnchorCheckpoint(size, root, prev, sig)</c> with the tree size, the Merkle root (hex), the root of the checkpoint
/// before it (hex, empty for the first) and the ledger key's signature over the checkpoint note (base64 of key id ‖
/// signature, as on the note's signature line). Only these hashes go on chain: no asset data, identity or amount.
/// <para>Idempotent: before submitting it asks the chaincode (<c>GetLatest</c>); if the channel already holds this size
/// (a crash after the commit, before the receipt was stored) it checks it is the same checkpoint and answers a receipt
/// for the transaction that anchored it, with that transaction's block and validation code (<c>CommitStatus</c>).</para>
/// <para>The receipt carries the signed transaction envelope with every endorsement (from the submit, or read back from
/// the ledger when recovering), so that a verifier checks offline which organisations vouched for the checkpoint.</para>
/// </summary>
public sealed class FabricAnchor : IAnchor
{
    readonly Func<CancellationToken, Task<IFabricContract>> _contract;
    readonly Func<CheckpointToAnchor, CancellationToken, Task<string?>> _previousRoot;
    readonly IClock _clock;
    readonly string _mspId;

    /// <param name="contract">The chaincode (created on first use, so a missing key file is an anchoring error, not a start-up failure).</param>
    /// <param name="previousRoot">The hex root of the checkpoint before this one, null if it is the first.</param>
    public FabricAnchor(string channel, string chaincode, string mspId, Func<CancellationToken, Task<IFabricContract>> contract,
        Func<CheckpointToAnchor, CancellationToken, Task<string?>> previousRoot, IClock clock)
    {
        Name = FabricAnchorProof.AnchorName(channel, chaincode);
        _mspId = mspId;
        _contract = contract;
        _previousRoot = previousRoot;
        _clock = clock;
    }

    public string Name { get; }

    public async Task<AnchorReceipt> Submit(CheckpointToAnchor checkpoint, CancellationToken ct)
    {
        var contract = await _contract(ct);
        var size = checkpoint.TreeSize.ToString(CultureInfo.InvariantCulture);
        var root = checkpoint.RootHash.ToLowerInvariant();
        var prev = (await _previousRoot(checkpoint, ct))?.ToLowerInvariant() ?? "";
        var sig = FabricAnchorProof.LedgerSignature(checkpoint.SignedNote);

        var latest = Parse(await contract.Evaluate("GetLatest", [], ct));
        if (latest is not null && latest.Size >= checkpoint.TreeSize)
        {
            var held = Parse(await contract.Evaluate("GetCheckpoint", [size], ct))
                ?? throw new InvalidOperationException($"{Name} holds sizes up to {latest.Size} but no checkpoint of size {size}.");
            if (held.Root != root || held.Prev != prev || held.Sig != sig)
                throw new InvalidOperationException($"{Name} already holds a different checkpoint of size {size} (root {held.Root}, transaction {held.TxId}).");
            var earlier = await contract.CommitStatus(held.TxId, ct);
            if (!earlier.IsValid) throw new InvalidOperationException($"{Name}: transaction {held.TxId} that holds size {size} committed as {earlier.ValidationCodeName}.");
            earlier = earlier with { Envelope = await contract.TransactionEnvelope(held.TxId, ct) };
            return Receipt(contract, checkpoint.TreeSize, earlier, held.Timestamp ?? _clock.UtcNow, root, prev, sig);
        }

        var commit = await contract.Submit(FabricAnchorProof.AnchorFunction, [size, root, prev, sig], ct);
        if (!commit.IsValid) throw new FabricGatewayException($"{Name}: transaction {commit.TransactionId} for size {size} committed as {commit.ValidationCodeName} in block {commit.BlockNumber}.");
        return Receipt(contract, checkpoint.TreeSize, commit, _clock.UtcNow, root, prev, sig);
    }

    AnchorReceipt Receipt(IFabricContract contract, long treeSize, FabricCommit commit, DateTimeOffset at, string root, string prev, string sig) =>
        new(Name, treeSize, commit.TransactionId, at, JsonSerializer.Serialize(new FabricAnchorProof(
            "fabric", contract.Channel, contract.Chaincode, FabricAnchorProof.AnchorFunction, commit.TransactionId, commit.BlockNumber, commit.ValidationCodeName, _mspId,
            treeSize, root, prev, sig, commit.Envelope is { Length: > 0 } e ? Convert.ToBase64String(e) : null)));

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    static HeldCheckpoint? Parse(byte[] json) => json.Length == 0 ? null : JsonSerializer.Deserialize<HeldCheckpoint>(Encoding.UTF8.GetString(json), Json);

    /// <summary>A record as the chaincode stores it.</summary>
    public sealed record HeldCheckpoint(long Size, string Root, string Prev, string Sig, string TxId, DateTimeOffset? Timestamp);
}
