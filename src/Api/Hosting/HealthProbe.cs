using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Projections;
using Npgsql;

namespace AssetLedger.Api.Hosting;

/// <summary>The readiness check over the parts it asks (projections, the ledger's anchor cursors, the configured targets), wired here where all of them are known.</summary>
public sealed class HealthProbe(ProjectionRunner projections, ILedgerQueries ledger, AnchorTargets anchors, LedgerOptions options) : IHealthProbe
{
    public async Task<HealthReport> Ready(CancellationToken ct)
    {
        try
        {
            var status = await projections.Status(ct);
            var targets = await AnchorHealths(ct);
            var overall = targets.Any(t => t.Status == "degraded") ? "degraded" : "ready";
            return new HealthReport(overall, "reachable", status.Head, status.Checkpoint, status.Lag, null, targets);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new HealthReport(HealthReport.Unavailable, "unreachable", null, null, null, ex.Message);
        }
    }

    /// <summary>The targets there are now (configured, and managed ones active): a cursor left behind by a target deactivated or no longer configured does not count.</summary>
    async Task<IReadOnlyList<AnchorHealth>> AnchorHealths(CancellationToken ct)
    {
        var configured = (await anchors.Names(ct)).ToHashSet();
        var now = DateTimeOffset.UtcNow;
        return (await ledger.AnchorStatuses(ct)).Where(s => configured.Contains(s.Anchor)).Select(s => new AnchorHealth(s.Anchor,
            s.FailingSince is not { } since ? "ok" : now - since >= options.AnchorDegradedAfter ? "degraded" : "failing",
            s.LastAnchoredSize, s.LagCheckpoints, s.LagSeconds, s.FailingSince, s.LastError)).ToList();
    }
}
