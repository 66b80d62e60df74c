// Command-to-anchored-checkpoint latency over HTTP. C connections post POST /api/v1/assets as fast as the service
// answers; for every 2xx answer the driver notes when it arrived and the log position of the event it appended (the
// answer's events[].position). One poller reads GET /api/v1/ledger/anchors?limit=1 every 10 ms: an event is anchored
// by a target once that target's lastAnchoredSize covers its position, and its latency is the time from the command's
// 2xx to the poll that saw it so (the figures include up to one poll interval and one poll's round trip). For an EVM
// target the cursor advances only once the transaction's receipt is in a mined block, so this is 2xx → confirmed on
// chain. Prints p50/p90/p99/max per watched anchor target.
// Before the load it waits until every watched target has anchored a first checkpoint (for an EVM target that also
// deploys the contract), so that start-up is not measured.
// Usage: AnchorLatencyBench <base url> <operator password> [seconds=30] [connections=32] [warm-up seconds=5] [anchors=local]
//   anchors: comma-separated anchor target names to watch, e.g. local,evm:31337. The goal p99 < 1500 ms is checked for `local`.
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
var watched = (args.Length > 5 ? args[5] : "local").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

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

// The poller: each watched target's anchored size, as fresh as the last poll.
var pending = new ConcurrentQueue<(long Position, double OkAt, bool Measured)>();
var commandLatencies = new ConcurrentBag<double>();
int errors = 0, ok = 0, measuredOk = 0;
using var stopPolling = new CancellationTokenSource();
var latencies = watched.ToDictionary(a => a, _ => new List<double>());
var waiting = watched.ToDictionary(a => a, _ => new PriorityQueue<(long Position, double OkAt, bool Measured), long>());
var anchoredSize = new ConcurrentDictionary<string, long>(watched.ToDictionary(a => a, _ => 0L));
int polls = 0, pollErrors = 0;
async Task<Dictionary<string, long>> AnchoredSizes()
{
    using var req = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ledger/anchors?limit=1");
    using var r = await http.SendAsync(req);
    r.EnsureSuccessStatusCode();
    var targets = (await r.Content.ReadFromJsonAsync<JsonNode>())!["targets"]!.AsArray();
    return targets.ToDictionary(t => t!["anchor"]!.GetValue<string>(), t => t!["lastAnchoredSize"]!.GetValue<long>());
}

// Start-up: wait until every watched target has anchored something (an EVM target deploys its contract first).
var startupWait = Stopwatch.StartNew();
while (true)
{
    var sizes = await AnchoredSizes();
    if (watched.All(a => sizes.GetValueOrDefault(a) > 0)) break;
    if (startupWait.Elapsed > TimeSpan.FromSeconds(120))
        throw new InvalidOperationException($"after 120 s not every watched anchor ({string.Join(", ", watched)}) has anchored a checkpoint: {string.Join(", ", sizes.Select(kv => $"{kv.Key}={kv.Value}"))}");
    await Task.Delay(100);
}
Console.WriteLine($"watched anchors: {string.Join(", ", watched)}; each had anchored its first checkpoint {startupWait.Elapsed.TotalSeconds:F1} s after the set-up");

var clock = Stopwatch.StartNew();
var poller = Task.Run(async () =>
{
    while (!stopPolling.IsCancellationRequested)
    {
        try
        {
            var sizes = await AnchoredSizes();
            var now = clock.Elapsed.TotalMilliseconds;
            polls++;
            var fresh = new List<(long Position, double OkAt, bool Measured)>();
            while (pending.TryDequeue(out var p)) fresh.Add(p);
            foreach (var a in watched)
            {
                var size = sizes.GetValueOrDefault(a);
                anchoredSize[a] = size;
                var q = waiting[a];
                foreach (var p in fresh) q.Enqueue(p, p.Position);
                while (q.TryPeek(out var head, out _) && head.Position <= size)
                {
                    q.Dequeue();
                    if (head.Measured) latencies[a].Add(now - head.OkAt);
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { pollErrors++; }
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
// Let the last commands reach an anchored checkpoint (a minute when a chain is watched).
var drainWait = TimeSpan.FromSeconds(watched.Any(a => a != "local") ? 60 : 30);
var drainUntil2 = clock.Elapsed + drainWait;
while (clock.Elapsed < drainUntil2 && (!pending.IsEmpty || waiting.Values.Any(q => q.Count > 0))) await Task.Delay(20);
stopPolling.Cancel();
await poller;

double P(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
var cmd = commandLatencies.OrderBy(x => x).ToList();
Console.WriteLine($"load average at the start of the load: {loadAvgBefore}; at its end: {loadAvgAfterLoad}; cores: {Environment.ProcessorCount}");
Console.WriteLine($"commands: {measuredOk} measured 2xx in {seconds} s after {warmup} s warm-up ({measuredOk / (double)seconds:F0}/s), {errors} errors, {connections} connections");
Console.WriteLine($"command latency (request → 2xx): p50 {P(cmd, 0.50):F1} ms, p99 {P(cmd, 0.99):F1} ms");
var status = 0;
foreach (var a in watched)
{
    var l = latencies[a];
    l.Sort();
    var goal = a == "local" || a.StartsWith("witness:", StringComparison.Ordinal) ? " (goal p99 < 1500 ms)" : "";
    Console.WriteLine($"2xx → in a checkpoint anchored by {a}: n={l.Count} p50 {P(l, 0.50):F0} ms, p90 {P(l, 0.90):F0} ms, p99 {P(l, 0.99):F0} ms, max {(l.Count == 0 ? double.NaN : l[^1]):F0} ms{goal}");
    if (waiting[a].Count > 0) { Console.WriteLine($"  not anchored by {a} within {drainWait.TotalSeconds:F0} s of the end: {waiting[a].Count}"); status = 1; }
    if (l.Count == 0 || (a == "local" && !(P(l, 0.99) < 1500))) status = 1;
}
Console.WriteLine($"anchor polls: {polls} ({pollErrors} failed); last anchored sizes: {string.Join(", ", watched.Select(a => $"{a}={anchoredSize[a]}"))}");
return status;
