using System.Data.Common;

namespace AssetLedger.Application.Ports;

/// <summary>
/// How far the verifiable ledger vouches for events: the Merkle tree's size, the signed checkpoints and the anchors'
/// receipts, for given log positions. The trace shows it beside each event; the ledger's tables stay the ledger's own.
/// </summary>
public interface ILedgerStatus
{
    /// <summary>
    /// The ledger's head and, for each of <paramref name="positions"/>, the first signed checkpoint that covers it and, per
    /// anchor, the first anchored checkpoint that covers it: read in one round trip for every position.
    /// </summary>
    /// <param name="within">
    /// The caller's open REPEATABLE READ transaction on the same database: the ledger's part of an answer then shows the
    /// same moment as the rest of it (a trace's events and their proof states agree).
    /// </param>
    Task<LedgerProofs> Proofs(IReadOnlyCollection<long> positions, DbTransaction within, CancellationToken ct);
}

/// <param name="TreeSize">Events in the Merkle tree so far (it runs ahead of the latest checkpoint).</param>
/// <param name="LatestCheckpoint">Tree size of the newest signed checkpoint, null before the first.</param>
public sealed record LedgerHead(long TreeSize, long? LatestCheckpoint, DateTimeOffset? LatestCheckpointAt);

/// <param name="Positions">One entry for every position asked about.</param>
public sealed record LedgerProofs(LedgerHead Head, IReadOnlyDictionary<long, PositionProof> Positions);

/// <param name="Checkpoint">The first signed checkpoint whose tree includes the position; null if none does yet.</param>
/// <param name="Anchors">Per anchor (by name), the first checkpoint it anchored that includes the position.</param>
public sealed record PositionProof(long Position, CoveringCheckpoint? Checkpoint, IReadOnlyList<CoveringAnchorReceipt> Anchors);

public sealed record CoveringCheckpoint(long TreeSize, DateTimeOffset CreatedAt);

public sealed record CoveringAnchorReceipt(string Anchor, long TreeSize, string TransactionReference, DateTimeOffset AnchoredAt);
