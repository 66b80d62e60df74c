using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;

namespace AssetLedger.Application.Ports;

/// <summary>What the API asks of the verifiable ledger: its keys, signed checkpoints, RFC 9162 proofs, anchor receipts and progress, an integrity check.</summary>
public interface ILedgerQueries
{
    LedgerPublicKeys PublicKeys();

    Task<SignedCheckpoint?> LatestCheckpoint(CancellationToken ct);

    Task<SignedCheckpoint?> CheckpointBySize(long treeSize, CancellationToken ct);

    /// <summary>The witnesses' cosignatures of one checkpoint (tlog-cosignature/v1 lines), by witness name.</summary>
    Task<IReadOnlyList<CheckpointCosignature>> Cosignatures(long treeSize, CancellationToken ct);

    /// <summary>Inclusion proof of an event against a tree size (default: the latest checkpoint's).</summary>
    Task<LedgerResult<InclusionProof>> InclusionProofForEvent(Guid eventId, long? treeSize, CancellationToken ct);

    /// <summary>Inclusion proof of the event at a position (leaf position − 1) against a tree size (default: the latest checkpoint's).</summary>
    Task<LedgerResult<InclusionProof>> InclusionProofForPosition(long position, long? treeSize, CancellationToken ct);

    /// <summary>Consistency proof that the tree of <paramref name="firstSize"/> is a prefix of the tree of <paramref name="secondSize"/>.</summary>
    Task<LedgerResult<ConsistencyProof>> ConsistencyProof(long firstSize, long secondSize, CancellationToken ct);

    /// <summary>Anchor receipts, oldest first; for one checkpoint size if given.</summary>
    Task<IReadOnlyList<AnchorReceipt>> Anchors(long? treeSize, long afterSize, int limit, CancellationToken ct);

    /// <summary>Each anchor's cursor: how far it got and whether it is failing.</summary>
    Task<IReadOnlyList<AnchorStatus>> AnchorStatuses(CancellationToken ct);

    /// <summary>Recomputes events, chains, leaves, nodes and checkpoints over positions [from, to]; names the first bad position.</summary>
    Task<IntegrityReport> CheckIntegrity(long fromPosition, long toPosition, CancellationToken ct);
}

/// <summary>The stable codes of <see cref="LedgerResult{T}"/>'s refusals.</summary>
public static class LedgerCodes
{
    public const string EventNotFound = "ledger.event_not_found";
    public const string NotYetInTree = "ledger.not_yet_in_tree";
    public const string TreeSizeOutOfRange = "ledger.tree_size_out_of_range";
    public const string NoCheckpoint = "ledger.no_checkpoint";
}

/// <summary>A ledger answer: the value, or a stable error code (<see cref="LedgerCodes"/>) and a message saying why.</summary>
public sealed record LedgerResult<T>(T? Value, string? ErrorCode = null, string? Error = null) where T : class
{
    public bool Ok => ErrorCode is null;
    public static LedgerResult<T> Fail(string code, string message) => new(null, code, message);
    public static implicit operator LedgerResult<T>(T value) => new(value);
}

/// <param name="Path">RFC 9162 inclusion path, leaf side first.</param>
/// <param name="Checkpoint">The signed checkpoint of exactly <paramref name="TreeSize"/>, if one was cut at that size.</param>
public sealed record InclusionProof(
    long Position, Guid EventId, long LeafIndex, long TreeSize, byte[] EventHash, byte[] LeafHash, byte[] RootHash,
    IReadOnlyList<byte[]> Path, SignedCheckpoint? Checkpoint);

/// <param name="Path">RFC 9162 consistency path.</param>
public sealed record ConsistencyProof(long FirstSize, long SecondSize, byte[] FirstRoot, byte[] SecondRoot, IReadOnlyList<byte[]> Path);

/// <param name="Witness">The witness's anchor name, <c>witness:&lt;name&gt;</c>.</param>
/// <param name="Line">Its signature line, newline included: appended to the checkpoint note, the note verifies with its key.</param>
public sealed record CheckpointCosignature(string Witness, string WitnessKey, string Line, DateTimeOffset CosignedAt);

/// <summary>The public keys in note verifier-key form (<c>name+id+base64</c>).</summary>
public sealed record LedgerPublicKeys(string Origin, string LedgerVerifierKey, string AnchorOrigin, string AnchorVerifierKey);

/// <summary>One anchor target's progress.</summary>
/// <param name="LastAnchoredSize">Tree size of the last checkpoint anchored there (0 before the first).</param>
/// <param name="Failures">Failed runs in a row (0 while it succeeds).</param>
/// <param name="LastError">Why the last run failed, while failing.</param>
/// <param name="LastAnchoredAt">When the last anchored checkpoint was anchored, as the target's receipt says.</param>
/// <param name="LagCheckpoints">Checkpoints cut but not yet anchored there.</param>
/// <param name="LagSeconds">Age of the oldest checkpoint not yet anchored there (0 when none waits).</param>
/// <param name="FailingSince">Start of the current run of failures, null while it succeeds.</param>
public sealed record AnchorStatus(
    string Anchor, long LastAnchoredSize, int Failures, string? LastError, DateTimeOffset NextAttemptAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? LastAnchoredAt = null, long LagCheckpoints = 0, double LagSeconds = 0, DateTimeOffset? FailingSince = null);

/// <param name="Position">The event position it concerns (for a tree node, the first position under it); null for a checkpoint.</param>
/// <param name="Kind">event-hash, chain, order, leaf, node, checkpoint.</param>
public sealed record IntegrityProblem(long? Position, string Kind, string Message);

public sealed record IntegrityReport(
    long FromPosition, long ToPosition, long EventsChecked, long TreeSize, long? CheckpointSize,
    long? FirstBadPosition, IReadOnlyList<IntegrityProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}
