using AssetLedger.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using AssetLedger.Projections;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using Npgsql;

namespace AssetLedger.Api.Endpoints;

/// <param name="Status">ready, degraded (an anchor target has been failing for longer than AnchorDegradedAfter: still 200), or unavailable (503).</param>
public sealed record HealthReport(string Status, string? Database, long? HeadPosition, long? ProjectionCheckpoint, long? ProjectionLag, string? Error = null,
    IReadOnlyList<AnchorHealth>? Anchors = null);

/// <param name="Status">ok, failing (retrying, not yet for long), or degraded (failing for longer than AnchorDegradedAfter).</param>
public sealed record AnchorHealth(string Anchor, string Status, long LastAnchoredSize, long LagCheckpoints, double LagSeconds, DateTimeOffset? FailingSince, string? LastError);

public static class HealthEndpoints
{
    public static RouteGroupBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        g.MapGet("/live", () => TypedResults.Ok(new HealthReport("live", null, null, null, null))).WithSummary("The process is up");
        g.MapGet("/ready", Ready).WithSummary("PostgreSQL is reachable; the body gives the projection lag and each anchor target's state (degraded: a target failing for long)");
        return g;
    }

    static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Ready(ProjectionRunner projections, LedgerService ledger, AnchorTargets anchors,
        LedgerOptions options, CancellationToken ct)
    {
        try
        {
            var status = await projections.Status(ct);
            var targets = await AnchorHealths(ledger, anchors, options, ct);
            var overall = targets.Any(t => t.Status == "degraded") ? "degraded" : "ready";
            return TypedResults.Ok(new HealthReport(overall, "reachable", status.Head, status.Checkpoint, status.Lag, null, targets));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return TypedResults.Json(new HealthReport("unavailable", "unreachable", null, null, null, ex.Message), statusCode: 503);
        }
    }

    /// <summary>The targets there are now (configured, and managed ones active): a cursor left behind by a target deactivated or no longer configured does not count.</summary>
    static async Task<IReadOnlyList<AnchorHealth>> AnchorHealths(LedgerService ledger, AnchorTargets anchors, LedgerOptions options, CancellationToken ct)
    {
        var configured = (await anchors.Names(ct)).ToHashSet();
        var now = DateTimeOffset.UtcNow;
        return (await ledger.AnchorStatuses(ct)).Where(s => configured.Contains(s.Anchor)).Select(s => new AnchorHealth(s.Anchor,
            s.FailingSince is not { } since ? "ok" : now - since >= options.AnchorDegradedAfter ? "degraded" : "failing",
            s.LastAnchoredSize, s.LagCheckpoints, s.LagSeconds, s.FailingSince, s.LastError)).ToList();
    }
}
