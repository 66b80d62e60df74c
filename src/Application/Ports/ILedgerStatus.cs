using System.Data.Common;

namespace AssetLedger.Application.Ports;

/// <summary>
/// How far the verifiable ledger vouches for events: the Merkle tree's size, the signed checkpoints and the anchors'
/// receipts, for given log positions. The trace shows it beside each event; the ledger's tables stay the ledger's own.
/// </summary>
public interface ILedgerStatus
{
    /// <summary>
    /// The statements that read the ledger's head and, for each position that <paramref name="positionsSql"/> selects, the
    /// first signed checkpoint that covers it and, per anchor, the first anchored checkpoint that covers it, for the caller to
    /// send in its own batch, after its own statements and in its own snapshot: a trace's events and their proof states are
    /// then read in one round trip and show one moment.
    /// </summary>
    /// <param name="positionsSql">
    /// A query of one bigint column, the log positions (it may use the caller's parameters, which the caller gives each statement). Taken from the caller's tables
    /// rather than as an array parameter, so PostgreSQL keeps one plan for the statements: an array parameter's length is
    /// known to a plan made for each call but not to a kept one, which then always looked dearer and was planned afresh.
    /// </param>
    LedgerProofQuery ProofsOf(string positionsSql);

    /// <summary>
    /// The statement that reads the ledger's head alone (the first of <see cref="ProofsOf"/>'s), for a caller that kept the
    /// proofs of its positions because they can no longer change (<see cref="PositionProof.IsFinal"/>).
    /// </summary>
    LedgerHeadQuery Head { get; }
}

/// <param name="Statement">One row; takes no parameter. It may also be a sub-select of the caller's statement.</param>
/// <param name="Read">Maps the current row, its columns starting at the ordinal given (0 for the statement alone).</param>
public sealed record LedgerHeadQuery(string Statement, Func<DbDataReader, int, LedgerHead> Read);

/// <param name="Statements">The statements, to send in this order, each as a statement of its own in the caller's batch.</param>
/// <param name="Read">
/// Reads their answers into the proofs, given the reader on the first of them; leaves it on the answer after the last.
/// </param>
public sealed record LedgerProofQuery(IReadOnlyList<string> Statements, Func<DbDataReader, CancellationToken, Task<LedgerProofs>> Read);

/// <param name="TreeSize">Events in the Merkle tree so far (it runs ahead of the latest checkpoint).</param>
/// <param name="LatestCheckpoint">Tree size of the newest signed checkpoint, null before the first.</param>
/// <param name="Anchors">
/// How many anchors have a cursor (a cursor is never removed): a position's proof is final once it has a checkpoint and a
/// receipt from each of them. A new anchor makes every proof unfinished again, as it will anchor them too.
/// </param>
public sealed record LedgerHead(long TreeSize, long? LatestCheckpoint, DateTimeOffset? LatestCheckpointAt, int Anchors);

/// <param name="Positions">One entry for every position asked about.</param>
public sealed record LedgerProofs(LedgerHead Head, IReadOnlyDictionary<long, PositionProof> Positions);

/// <param name="Checkpoint">The first signed checkpoint whose tree includes the position; null if none does yet.</param>
/// <param name="Anchors">Per anchor (by name), the first checkpoint it anchored that includes the position.</param>
public sealed record PositionProof(long Position, CoveringCheckpoint? Checkpoint, IReadOnlyList<CoveringAnchorReceipt> Anchors)
{
    /// <summary>
    /// Whether this proof can no longer change while the ledger has <paramref name="anchors"/> anchors: checkpoints are only
    /// appended, in size order, so the first that covers a position stays the first; each anchor anchors checkpoints strictly in
    /// size order and its receipts are never updated or deleted (a trigger refuses it), so its first covering receipt stays too.
    /// </summary>
    public bool IsFinal(int anchors) => Checkpoint is not null && Anchors.Count == anchors;
}

public sealed record CoveringCheckpoint(long TreeSize, DateTimeOffset CreatedAt);

public sealed record CoveringAnchorReceipt(string Anchor, long TreeSize, string TransactionReference, DateTimeOffset AnchoredAt);
