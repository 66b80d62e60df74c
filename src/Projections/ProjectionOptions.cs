namespace AssetLedger.Projections;

/// <summary>The projector's settings (<c>AssetLedger:Projections</c>).</summary>
public sealed class ProjectionOptions
{
    /// <summary>
    /// After a round that applied events, how long the projector waits before it reads the log again
    /// (<c>AssetLedger:Projections:Pause</c>, default 50 ms), so that under load one batch takes what many commits wrote: an
    /// asset's several events then rewrite its row (and its 31 index entries) once, in one transaction. Under load the read
    /// models lag the log by up to this much more; when idle, a notification wakes the projector at once. 0 goes round at once.
    /// </summary>
    public TimeSpan Pause { get; set; } = TimeSpan.FromMilliseconds(50);
}
