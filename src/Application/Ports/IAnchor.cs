using AssetLedger.Ledger.Anchors;

namespace AssetLedger.Application.Ports;

/// <summary>
/// Somewhere a checkpoint is recorded outside the ledger's own control: the local signed anchor log, a
/// Fabric chaincode, an EVM contract. Chain-neutral: a checkpoint goes in, a receipt comes out. Submit is
/// called for checkpoints in increasing size, each until it succeeds, and may be called again for the same
/// checkpoint after a crash, so it must be idempotent (answer the first receipt again).
/// </summary>
public interface IAnchor
{
    /// <summary>Stable name, the key of this anchor's cursor and receipts (e.g. "local", "fabric-channel1").</summary>
    string Name { get; }

    Task<AnchorReceipt> Submit(CheckpointToAnchor checkpoint, CancellationToken ct);
}

/// <param name="RootHash">Hex of the 32-byte Merkle root.</param>
/// <param name="CheckpointHash">Hex SHA-256 of the whole signed checkpoint note.</param>
/// <param name="PreviousCheckpointHash">Hex hash of the checkpoint before, null for the first.</param>
/// <param name="SignedNote">The checkpoint as signed by the ledger key.</param>
public sealed record CheckpointToAnchor(
    string Origin, long TreeSize, string RootHash, string CheckpointHash, string? PreviousCheckpointHash,
    DateTimeOffset Timestamp, string SignedNote);
