// Command-to-anchored-checkpoint latency over HTTP. C connections post POST /api/v1/assets as fast as the service
// answers; for every 2xx answer the driver notes when it arrived and the log position of the event it appended. One
// poller reads GET /api/v1/ledger/anchors every 10 ms: an event is anchored once every anchor target's last anchored
// checkpoint covers its position, and its latency is the time from the command's 2xx to the poll that saw it anchored
// (so the figures include up to one poll interval and one poll's round trip). Prints p50/p90/p99/max.
// Usage: AnchorLatencyBench <base url> <operator password> [seconds=30] [connections=32] [warm-up seconds=5]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

var baseUrl = new Uri(args[0]);
var operatorPassword = args[1];
var seconds = args.Length > 2 ? int.Parse(args[2]) : 30;
var connections = args.Length > 3 ? int.Parse(args[3]) : 32;
var warmup = args.Length > 4 ? int.Parse(args[4]) : 5;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections + 4, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30),
};

async Task<string> Token(string login, string password)
{
    for (var attempt = 1; ; attempt++)
    {
        var r = await http.PostAsJsonAsync("/api/v1/auth/token", new { login, password });
        if (r.IsSuccessStatusCode) return (await r.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
        if (attempt == 10) throw new InvalidOperationException($"logging in as {login}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        await Task.Delay(1000); // the service may still be creating the operator on first start
    }
}

async Task Post(string path, string token, object body)
{
    using var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
    req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using var r = await http.SendAsync(req);
    if (!r.IsSuccessStatusCode && (int)r.StatusCode != 409) throw new InvalidOperationException($"{path}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
}

var op = await Token("operator", operatorPassword);
await Post("/api/v1/participants", op, new { id = "owner-a", name = "Bench Owner Co.", roles = new[] { "Owner" } });
await Post("/api/v1/participants", op, new { id = "wh-1", name = "Bench Tank Farm", roles = new[] { "Warehouse" } });
await Post("/api/v1/users", op, new { login = "owner-a.bench", participantId = "owner-a", displayName = "bench", password = "bench owner password" });
var owner = await Token("owner-a.bench", "bench owner password");

// The poller: the anchored size, as fresh as the last poll.
var clock = Stopwatch.StartNew();
long anchored = 0;
var pending = new ConcurrentQueue<(long Position, double OkAt, bool Measured)>();
var latencies = new List<double>();
var commandLatencies = new ConcurrentBag<double>();
int errors = 0, ok = 0, measuredOk = 0;
using var stopPolling = new CancellationTokenSource();
var waiting = new PriorityQueue<(long Position, double OkAt, bool Measured), long>();
var poller = Task.Run(async () =>
{
    while (!stopPolling.IsCancellationRequested)
    {
        try
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ledger/anchors?limit=1");
            using var r = await http.SendAsync(req);
            var targets = (await r.Content.ReadFromJsonAsync<JsonNode>())!["targets"]!.AsArray();
            var size = targets.Count == 0 ? 0 : targets.Min(t => t!["lastAnchoredSize"]!.GetValue<long>());
            var now = clock.Elapsed.TotalMilliseconds;
            Volatile.Write(ref anchored, size);
            while (pending.TryDequeue(out var p)) waiting.Enqueue(p, p.Position);
            while (waiting.TryPeek(out var head, out _) && head.Position <= size)
            {
                waiting.Dequeue();
                if (head.Measured) latencies.Add(now - head.OkAt);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
        try { await Task.Delay(10, stopPolling.Token); } catch (TaskCanceledException) { }
    }
});

var loadAvgBefore = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
var measureFrom = TimeSpan.FromSeconds(warmup);
var end = TimeSpan.FromSeconds(warmup + seconds);
var tag = Guid.NewGuid().ToString("N")[..8];
var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
{
    for (var i = 0; clock.Elapsed < end; i++)
    {
        var body = new { kind = "WarehouseReceipt", ownerId = "owner-a", warehouseId = "wh-1", receiptNumber = $"L-{tag}-{w}-{i}", commodity = "crude oil", quantity = "1200.5", unit = "bbl" };
        using var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assets") { Content = JsonContent.Create(body) };
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner);
        var sent = clock.Elapsed.TotalMilliseconds;
        try
        {
            using var r = await http.SendAsync(req);
            var at = clock.Elapsed.TotalMilliseconds;
            if (!r.IsSuccessStatusCode) { Interlocked.Increment(ref errors); continue; }
            var position = (await r.Content.ReadFromJsonAsync<JsonNode>())!["events"]!.AsArray().Max(e => e!["position"]!.GetValue<long>());
            var measured = clock.Elapsed >= measureFrom;
            Interlocked.Increment(ref ok);
            if (measured) { Interlocked.Increment(ref measuredOk); commandLatencies.Add(at - sent); }
            pending.Enqueue((position, at, measured));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { Interlocked.Increment(ref errors); }
    }
})).ToArray();
await Task.WhenAll(workers);
var loadAvgAfterLoad = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
// Let the last commands reach an anchored checkpoint.
var drainUntil = clock.Elapsed + TimeSpan.FromSeconds(30);
while (clock.Elapsed < drainUntil && (!pending.IsEmpty || waiting.Count > 0)) await Task.Delay(20);
stopPolling.Cancel();
await poller;

double P(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
latencies.Sort();
var cmd = commandLatencies.OrderBy(x => x).ToList();
Console.WriteLine($"load average before: {loadAvgBefore}; at the end of the load: {loadAvgAfterLoad}; cores: {Environment.ProcessorCount}");
Console.WriteLine($"commands: {measuredOk} measured 2xx in {seconds} s after {warmup} s warm-up ({measuredOk / (double)seconds:F0}/s), {errors} errors, {connections} connections");
Console.WriteLine($"command latency (request → 2xx): p50 {P(cmd, 0.50):F1} ms, p99 {P(cmd, 0.99):F1} ms");
Console.WriteLine($"2xx → in an anchored checkpoint: n={latencies.Count} p50 {P(latencies, 0.50):F0} ms, p90 {P(latencies, 0.90):F0} ms, p99 {P(latencies, 0.99):F0} ms, max {(latencies.Count == 0 ? double.NaN : latencies[^1]):F0} ms (goal p99 < 1500 ms)");
if (waiting.Count > 0) Console.WriteLine($"not anchored within 30 s of the end: {waiting.Count}");
return latencies.Count > 0 && P(latencies, 0.99) < 1500 ? 0 : 1;
