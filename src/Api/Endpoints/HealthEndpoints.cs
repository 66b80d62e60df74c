using AssetLedger.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using AssetLedger.Projections;
using Npgsql;

namespace AssetLedger.Api.Endpoints;

public sealed record HealthReport(string Status, string? Database, long? HeadPosition, long? ProjectionCheckpoint, long? ProjectionLag, string? Error = null);

public static class HealthEndpoints
{
    public static RouteGroupBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        g.MapGet("/live", () => TypedResults.Ok(new HealthReport("live", null, null, null, null))).WithSummary("The process is up");
        g.MapGet("/ready", Ready).WithSummary("PostgreSQL is reachable; the body gives the projection lag");
        return g;
    }

    static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Ready(ProjectionRunner projections, CancellationToken ct)
    {
        try
        {
            var status = await projections.Status(ct);
            return TypedResults.Ok(new HealthReport("ready", "reachable", status.Head, status.Checkpoint, status.Lag));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return TypedResults.Json(new HealthReport("unavailable", "unreachable", null, null, null, ex.Message), statusCode: 503);
        }
    }
}
