using System.Diagnostics;
using System.Text;
using AssetLedger.Application.Diagnostics;

namespace AssetLedger.Api.Hosting;

/// <summary>
/// Logs a request slower than <c>AssetLedger:SlowRequestMilliseconds</c> (default 200; 0 turns it off) as a warning with
/// when it began (UTC, to the millisecond) and where its time went: each stage that ended in it (<see cref="Stages"/>), the
/// garbage collections and the time the runtime was paused for them meanwhile, and the thread pool's backlog. A single slow
/// answer among fast ones is then told apart: a wait in one stage (a commit waiting for the WAL's flush, a slow plan), a
/// collection, or no thread free; and slow answers that began together point at a moment (a checkpoint, a projector's
/// batch) rather than at a kind of request.
/// </summary>
public sealed class SlowRequests(RequestDelegate next, IConfiguration configuration, ILogger<SlowRequests> log)
{
    readonly double _threshold = configuration.GetValue("AssetLedger:SlowRequestMilliseconds", 200.0);

    public async Task InvokeAsync(HttpContext http)
    {
        if (_threshold <= 0) { await next(http); return; }
        var stages = Stages.Collect();
        var (gen0, gen1, gen2, paused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var began = DateTime.UtcNow;
        var started = Stopwatch.GetTimestamp();
        await next(http);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (elapsed < _threshold) return;
        var text = new StringBuilder();
        lock (stages)
            foreach (var (stage, ms) in stages) text.Append(text.Length == 0 ? "" : ", ").Append(stage).Append(' ').Append(ms.ToString("F1")).Append(" ms");
        log.LogWarning("Slow request {Method} {Path} {Status}: {Elapsed} ms from {Began}; stages: {Stages}; GC gen0/1/2 +{Gen0}/+{Gen1}/+{Gen2}, paused {Paused} ms; thread pool queue {Queued}",
            http.Request.Method, http.Request.Path.Value, http.Response.StatusCode, Math.Round(elapsed, 1),
            began.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), text.Length == 0 ? "none" : text.ToString(),
            GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2,
            Math.Round((GC.GetTotalPauseDuration() - paused).TotalMilliseconds, 1), ThreadPool.PendingWorkItemCount);
    }
}
