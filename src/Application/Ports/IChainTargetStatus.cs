namespace AssetLedger.Application.Ports;

/// <param name="DeployedAddress">The contract an EVM target deployed on first use.</param>
public sealed record TargetStatus(string Anchor, long? AnchoredSize, int? Failures, string? LastError, DateTimeOffset? FailingSince, string? DeployedAddress);

/// <summary>What the anchor worker has recorded for named targets (cursor and deployed contract), as the chain views show it.</summary>
public interface IChainTargetStatus
{
    /// <summary>One entry per name given, whether or not the worker has run for it yet.</summary>
    Task<IReadOnlyDictionary<string, TargetStatus>> Of(IReadOnlyList<string> anchors, CancellationToken ct);
}
