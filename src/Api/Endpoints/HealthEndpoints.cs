using AssetLedger.Application.Ports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AssetLedger.Api.Endpoints;

public static class HealthEndpoints
{
    public static RouteGroupBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        g.MapGet("/live", () => TypedResults.Ok(new HealthReport("live", null, null, null, null))).WithSummary("The process is up");
        g.MapGet("/ready", Ready).WithSummary("PostgreSQL is reachable; the body gives the projection lag and each anchor target's state (degraded: a target failing for long)");
        return g;
    }

    static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Ready(IHealthProbe probe, CancellationToken ct)
    {
        var report = await probe.Ready(ct);
        return report.Status == HealthReport.Unavailable ? TypedResults.Json(report, statusCode: 503) : TypedResults.Ok(report);
    }
}
