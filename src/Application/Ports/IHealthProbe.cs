namespace AssetLedger.Application.Ports;

/// <param name="Status">ready, degraded (an anchor target has been failing for longer than AnchorDegradedAfter: still 200), or unavailable (503).</param>
public sealed record HealthReport(string Status, string? Database, long? HeadPosition, long? ProjectionCheckpoint, long? ProjectionLag, string? Error = null,
    IReadOnlyList<AnchorHealth>? Anchors = null)
{
    public const string Unavailable = "unavailable";
}

/// <param name="Status">ok, failing (retrying, not yet for long), or degraded (failing for longer than AnchorDegradedAfter).</param>
public sealed record AnchorHealth(string Anchor, string Status, long LastAnchoredSize, long LagCheckpoints, double LagSeconds, DateTimeOffset? FailingSince, string? LastError);

/// <summary>Whether the service can answer: the database is reachable, how far the projections lag, how each anchor target fares.</summary>
public interface IHealthProbe
{
    /// <summary>Never throws for an unreachable database: that is a report whose status is <see cref="HealthReport.Unavailable"/>.</summary>
    Task<HealthReport> Ready(CancellationToken ct);
}
