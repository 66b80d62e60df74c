using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using static AssetLedger.Application.Ports.LedgerCodes;

namespace AssetLedger.Api.Problems;

/// <summary>Refusals of the verifiable ledger and of evidence bundles: what is not cut, not in the tree or not anchored yet.</summary>
public static class LedgerErrors
{
    public static readonly DomainError NoCheckpointYet =
        new(NoCheckpoint, "No checkpoint has been cut yet; one is cut within 500 ms of the first event.", ErrorKind.NotFound);

    public static DomainError CheckpointNotFound(long treeSize) => new("ledger.checkpoint_not_found",
        $"No checkpoint was cut at tree size {treeSize}; GET /api/v1/ledger/checkpoints/latest gives the newest.", ErrorKind.NotFound);

    /// <summary>A proof the ledger could not give: an unknown event is not found; what is not cut or not in the tree yet conflicts; a size out of range is invalid.</summary>
    public static DomainError Proof(string code, string detail) => new(code, detail, code switch
    {
        EventNotFound => ErrorKind.NotFound,
        NoCheckpoint or NotYetInTree => ErrorKind.Conflict,
        _ => ErrorKind.Invalid,
    });

    public static readonly DomainError NothingAnchored = new("evidence.not_anchored",
        "No checkpoint has been anchored yet; one is cut and anchored within about a second of the first event. Retry shortly.", ErrorKind.Conflict);

    /// <param name="what">The position the bundle needs, as a sentence's subject.</param>
    public static DomainError NotAnchored(string what, long anchoredSize) => new("evidence.not_anchored",
        $"{what} is not yet in an anchored checkpoint (the latest anchored checkpoint holds {anchoredSize} events). Checkpoints are cut every 500 ms " +
        "and anchored right after: retry in about a second (Retry-After), or pass wait=<seconds> to let the server wait longer.", ErrorKind.Conflict);

    public static DomainError BeyondLog(long head, long to) =>
        new("evidence.beyond_log", $"The log ends at position {head}; to ({to}) is beyond it.", ErrorKind.Invalid, "to");

    /// <summary>The database lacks a checkpoint an anchor already holds: it was restored from an older backup.</summary>
    public static DomainError RolledBack(PublishedCheckpoint missing) => new("ledger.rolled_back",
        $"The registry's database lacks checkpoint {missing.TreeSize} (note hash {missing.CheckpointHash}), which the anchor '{missing.HeldBy}' " +
        $"has held since {missing.PublishedAt:u}: it was restored from an older backup. Writes are refused until an operator acknowledges " +
        "the loss (assetledger ledger acknowledge-loss); reads still answer.", ErrorKind.Unavailable);
}
