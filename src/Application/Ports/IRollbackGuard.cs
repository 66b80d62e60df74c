namespace AssetLedger.Application.Ports;

/// <summary>
/// Whether the database lacks a checkpoint that third parties already hold (it was restored from an older backup):
/// then the registry serves no writes until an operator acknowledges the loss (<c>assetledger ledger acknowledge-loss</c>).
/// </summary>
public interface IRollbackGuard
{
    /// <summary>The newest published checkpoint the database does not have, or null when it has it.</summary>
    ValueTask<PublishedCheckpoint?> MissingCheckpoint(CancellationToken ct);
}

/// <param name="CheckpointHash">The signed note's hash, lower-case hex.</param>
/// <param name="HeldBy">The anchor (local, an EVM chain, a Fabric channel) that holds it.</param>
public sealed record PublishedCheckpoint(long TreeSize, string CheckpointHash, string HeldBy, DateTimeOffset PublishedAt);
