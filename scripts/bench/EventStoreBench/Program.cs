// Console load driver for the event store: N writers on distinct streams, each appending as fast as its
// previous append is acknowledged, for a fixed time. Prints appends/s, events/s, latency percentiles and the
// driver process's own CPU time per event (the store's client side plus the driver), so a run shows whether
// the client or the server is spending the machine.
// Usage: EventStoreBench <connection string> <writers> <events per append> <seconds> [batches in flight]
using System.Diagnostics;
using System.Globalization;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure;
using AssetLedger.Infrastructure.EventStore;
using Npgsql;

var cs = args[0];
var writers = int.Parse(args[1], CultureInfo.InvariantCulture);
var perAppend = int.Parse(args[2], CultureInfo.InvariantCulture);
var seconds = int.Parse(args[3], CultureInfo.InvariantCulture);
var inFlight = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : PostgresEventStore.DefaultBatchesInFlight;

await DatabaseMigrator.Migrate(cs, []); // the event store and the ledger: no read models
await using var db = new NpgsqlDataSourceBuilder(cs).Build();
await using var store = new PostgresEventStore(db) { MaxBatchesInFlight = inFlight };

// The payload is fixed, so the driver's own work per append is an id per event and a request.
const string Data = """{"asset":"0193a5f0000070008000000000000001","venue":"bank-1","purpose":"Financing","by":"owner-1","at":"2026-11-25T08:00:00+00:00"}""";
const string Metadata = """{"participant":"owner-1","correlationId":"0193a5f0-0000-7000-8000-0000000000cc"}""";

async Task<(long Appends, List<double> LatenciesMs)> Writer(int w, TimeSpan duration, CancellationToken ct)
{
    var stream = $"bench-{Guid.NewGuid():N}-{w}";
    long version = 0, appends = 0;
    var lat = new List<double>(100_000);
    var sw = Stopwatch.StartNew();
    while (sw.Elapsed < duration)
    {
        var events = new EventToAppend[perAppend];
        for (var i = 0; i < events.Length; i++) events[i] = new EventToAppend(Guid.CreateVersion7(), "asset-transferred-out", 1, Data, Metadata);
        var t0 = Stopwatch.GetTimestamp();
        var r = await store.Append(new AppendRequest(stream, version, events), ct);
        lat.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        if (r.Status != AppendStatus.Appended) throw new InvalidOperationException($"append failed: {r.Status}");
        version = r.StreamVersion;
        appends++;
    }
    return (appends, lat);
}

// Warm up connections and the JIT, then measure. Two seconds were too few on a busy machine: the JIT was still
// compiling (tiering up) during the measurement: 16% of perf's samples of driver and server, 1% with five.
await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Writer(w, TimeSpan.FromSeconds(5), default)));
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => Writer(w, TimeSpan.FromSeconds(seconds), default))));
var elapsed = clock.Elapsed.TotalSeconds;
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds;
var total = results.Sum(r => r.Appends);
var all = results.SelectMany(r => r.LatenciesMs).Order().ToArray();
double P(double q) => all[(int)Math.Min(all.Length - 1, Math.Floor(q * all.Length))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"appends/s={total / elapsed:F0} events/s={total * perAppend / elapsed:F0} p50_ms={P(0.50):F2} p99_ms={P(0.99):F2} writers={writers} events_per_append={perAppend} seconds={elapsed:F1} in_flight={inFlight} client_cpu_us_per_event={cpu / (total * perAppend):F1}"));
