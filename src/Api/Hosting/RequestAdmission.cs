using System.Threading.RateLimiting;
using AssetLedger.Api.Problems;
using AssetLedger.Application.Diagnostics;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Hosting;

/// <summary>
/// How many requests this instance works on at once: at most <c>AssetLedger:Http:MaxConcurrentRequests</c> (default 16 per
/// core), the others wait their turn in arrival order (at most <c>AssetLedger:Http:MaxQueuedRequests</c>, default 10,000;
/// one more is answered 503 <c>service.busy</c> with Retry-After, having done nothing). 0 admits every request at once.
/// <para>
/// Why: every request waits on rounds it shares with others (the caller view's round, the audit's and the event store's group
/// commits) and on PostgreSQL's cores. With 128 requests at once on 2 cores those rounds queued behind the crowd, and a few
/// requests waited many rounds: at 128 connections the mixed load's p99 was 0.9–1.1 s over a 96 ms median (issue 21). Taken in
/// turn, a request waits once, in line, and then runs as fast as at 32 at once. The wait shows as the stage
/// <c>http.admission</c>. Health probes are never queued.
/// </para>
/// </summary>
public sealed class RequestAdmission : IDisposable
{
    public const int DefaultPerCore = 16;
    public const int DefaultQueue = 10_000;

    readonly RequestDelegate _next;
    readonly ConcurrencyLimiter? _limiter;

    public RequestAdmission(RequestDelegate next, IConfiguration configuration)
    {
        _next = next;
        var permits = configuration.GetValue("AssetLedger:Http:MaxConcurrentRequests", DefaultPerCore * Environment.ProcessorCount);
        var queue = configuration.GetValue("AssetLedger:Http:MaxQueuedRequests", DefaultQueue);
        if (permits > 0)
            _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = permits, QueueLimit = Math.Max(0, queue), QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
    }

    public async Task InvokeAsync(HttpContext http)
    {
        if (_limiter is null || http.Request.Path.StartsWithSegments("/health"))
        {
            await _next(http);
            return;
        }
        RateLimitLease lease;
        try
        {
            using (Stages.Start(Stages.Admission)) lease = await _limiter.AcquireAsync(1, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return; // the client left while it waited: nothing was done, and no one is there to answer
        }
        using (lease)
        {
            if (!lease.IsAcquired)
            {
                http.Response.Headers.RetryAfter = "1";
                await P.From(ServiceErrors.Busy).ExecuteAsync(http);
                return;
            }
            await _next(http);
        }
    }

    public void Dispose() => _limiter?.Dispose();
}
