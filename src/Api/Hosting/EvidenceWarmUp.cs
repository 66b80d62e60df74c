using System.Diagnostics;
using AssetLedger.Application.Ports;

namespace AssetLedger.Api.Hosting;

/// <summary>
/// When the process starts, exports a small search certificate (events spread over the latest anchored checkpoint, and the
/// whole registration streams among them) into memory <c>AssetLedger:EvidenceWarmUpRounds</c> times (default 30, 0 off), and
/// throws it away. A certificate runs much code once per process: the exporter, the ZIP, the JSON canonicalisation, the reports,
/// the manifest's signature, the Merkle tree's upper tiles. Without this the first certificates paid for it: at 100,000 assets the
/// first took 1.9 s and the next ten 0.2-0.45 s against a 72 ms median, and at a million assets those few were a run's p99
/// (175 ms over a 28.6 ms median). 30 rounds, since the runtime recompiles a method optimised after 30 calls. It reads only,
/// writes nothing (no access-audit row: no one asked), and gives up quietly when nothing is anchored yet or the database is away.
/// </summary>
public sealed class EvidenceWarmUp(IEvidenceExport exporter, IEventStore events, Microsoft.IO.RecyclableMemoryStreamManager buffers, IConfiguration configuration, ILogger<EvidenceWarmUp> log) : BackgroundService
{
    /// <summary>Events of the warm-up certificate: enough for every step of an export, few enough to cost little.</summary>
    const int Events = 32;

    /// <summary>Rounds done by this process (for the test that it happens).</summary>
    public int Rounds => Volatile.Read(ref _rounds);
    int _rounds;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var rounds = configuration.GetValue("AssetLedger:EvidenceWarmUpRounds", 30);
        if (rounds <= 0) return;
        await Task.Yield(); // not on the host's start
        try
        {
            var size = await exporter.AnchoredSize(ct);
            if (size == 0) return;
            // Events spread over the whole log, as a search's are: their proofs read full leaf tiles and pass through the upper
            // tiles, and the checkpoints that first logged them come with consistency proofs. The last events alone are all in
            // the edge tile, which is kept in memory, and after one checkpoint.
            var spread = Enumerable.Range(1, Events).Select(i => Math.Max(1, size * i / Events)).Distinct().ToList();
            var found = await events.ReadPositions(spread, ct);
            var positions = found.Select(e => e.Position).ToList();
            var streams = found.Select(e => e.StreamId).Where(s => s.StartsWith("registration-", StringComparison.Ordinal)).Distinct().ToList();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < rounds; i++)
            {
                using var buffer = buffers.GetStream("warm-up");
                await exporter.ExportSearch(streams, positions, "{}\n", size, buffer, ct);
                Volatile.Write(ref _rounds, i + 1);
            }
            log.LogInformation("Evidence export warmed up: {Rounds} certificates of {Events} events at checkpoint {Size} in {Ms} ms",
                rounds, positions.Count, size, clock.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception ex)
        {
            // Only a warm-up: the first real certificate will simply be slower.
            log.LogWarning(ex, "Evidence export warm-up stopped after {Rounds} rounds", Rounds);
        }
    }
}
