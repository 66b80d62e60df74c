using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Infrastructure.Tests.Ledger;

public sealed class ledger_worker : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task two_api_processes_running_the_worker_build_checkpoint_and_anchor_everything_once()
    {
        var keys = LedgerParts.NewKeys();
        var options = new LedgerOptions { CheckpointEveryLeaves = 300, CheckpointInterval = TimeSpan.FromMilliseconds(200), PollInterval = TimeSpan.FromMilliseconds(20) };
        await using var a = new LedgerParts(_db.NewDataSource(), keys, new SystemClock(), options);
        await using var b = new LedgerParts(_db.NewDataSource(), keys, new SystemClock(), options);
        LedgerWorker Worker(LedgerParts p) => new(p.Builder, p.Cutter, new AnchorWorker(p.Db, [p.LocalAnchor], options), options);
        using var stop = new CancellationTokenSource();
        var running = new[] { Worker(a).RunAsync(stop.Token), Worker(b).RunAsync(stop.Token) };

        await Task.WhenAll(Task.Run(() => a.AppendEvents(700, "a")), Task.Run(() => b.AppendEvents(700, "b")));
        var head = await a.Store.HeadPosition(default);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await a.Service.AnchorStatuses(default)).SingleOrDefault()?.LastAnchoredSize != head && DateTime.UtcNow < deadline) await Task.Delay(50);
        await stop.CancelAsync();
        await Task.WhenAll(running);

        var checkpoints = await a.Checkpoints.Range(0, 10_000, default);
        Assert.Equal(head, checkpoints[^1].TreeSize);
        Assert.Equal(checkpoints.Select(c => c.TreeSize).Distinct().Count(), checkpoints.Count);
        for (var i = 1; i < checkpoints.Count; i++) Assert.Equal(checkpoints[i - 1].NoteHash, checkpoints[i].PreviousHash);
        var log = await a.LocalAnchor.ReadLog(0, 10_000, default);
        Assert.Equal(checkpoints.Select(c => c.TreeSize), log.Select(e => e.TreeSize));
        Assert.True((await a.LocalAnchor.VerifyLog(keys.Anchor.Verifier, default)).Ok);
        var report = await b.Service.CheckIntegrity(1, head, default);
        Assert.True(report.Ok, string.Join("; ", report.Problems.Select(p => p.Message)));
        Assert.True(SignedNote.Open(checkpoints[^1].Note, keys.Ledger.Verifier).IsValid);
        var events = await a.Store.ReadAll(0, 2000, default);
        var memory = new MemoryMerkleTree();
        foreach (var e in events) memory.Append(Convert.FromHexString(e.Hash));
        Assert.Equal(memory.Root(head), checkpoints[^1].RootHash);
    }
}
