using System.Diagnostics;
using AssetLedger.Api.Security;
using AssetLedger.Application.Ports;

namespace AssetLedger.Api.Audit;

/// <summary>
/// The access audit's second half (the trace, registry and audit endpoints record themselves with
/// <see cref="AccessAuditFilter"/>): every refused authentication or authorisation (401, 403) anywhere, and every
/// read by a regulator on any other endpoint, each recorded as its request completes.
/// </summary>
public sealed class AccessAuditMiddleware(RequestDelegate next, IAccessAudit audit, IClock clock, ILogger<AccessAuditMiddleware> log)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var at = clock.UtcNow;
        await next(http);
        if (AccessAuditFilter.IdOf(http) != Guid.Empty) return; // already recorded by the endpoint's filter
        var status = http.Response.StatusCode;
        var user = http.User;
        var regulatorRead = HttpMethods.IsGet(http.Request.Method) && user.IsInRole("Regulator")
            && (http.Request.Path.StartsWithSegments("/api/v1") || WebConsole.ConsoleSetup.IsConsole(http.Request.Path));
        if (status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden) && !regulatorRead) return;
        var record = new AccessRecord(Guid.CreateVersion7(), at, user.ParticipantIdOrNull(), user.Login(), user.FindAll("role").Select(c => c.Value).ToList(),
            http.Request.Method, http.Request.Path.Value ?? "", http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : null,
            http.Request.RouteValues.TryGetValue("id", out var id) ? $"id:{id}" : null, status,
            (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds), http.TraceIdentifier);
        try { await audit.Record(record, CancellationToken.None); }
        catch (Exception ex) { log.LogError(ex, "Could not record an access audit row for {Method} {Path}", record.Method, record.Path); throw; }
    }
}
