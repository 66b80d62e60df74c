using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Ledger;
using AssetLedger.Infrastructure.Tests.Support;

using static AssetLedger.Infrastructure.Tests.Support.Eventually;

namespace AssetLedger.Infrastructure.Tests.Chains;

/// <summary>
/// Anchor targets that the managed chain records switch on and off while the worker runs, against real Anvil nodes and a
/// real PostgreSQL. The records themselves are tested over HTTP; here the source is the port's plain data.
/// </summary>
public sealed class managed_anchor_targets : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    /// <summary>The active targets, as the chain records would answer them; changed by the test while the worker runs.</summary>
    sealed class Targets : IAnchorTargetSource
    {
        volatile AnchorTargetDefinition[] _active = [];
        public void Set(params AnchorTargetDefinition[] active) => _active = active;
        public Task<IReadOnlyList<AnchorTargetDefinition>> ActiveTargets(CancellationToken ct) => Task.FromResult<IReadOnlyList<AnchorTargetDefinition>>(_active);
    }

    static LedgerOptions FastOptions() => new()
    {
        CheckpointEveryLeaves = 1000, CheckpointInterval = TimeSpan.FromMilliseconds(100), PollInterval = TimeSpan.FromMilliseconds(20),
        AnchorRetryAttempts = 1, AnchorRetryDelay = TimeSpan.FromMilliseconds(50), AnchorMaxBackoff = TimeSpan.FromMilliseconds(400),
        AnchorSubmitTimeout = TimeSpan.FromSeconds(20), TargetRefreshInterval = TimeSpan.FromMilliseconds(100),
    };

    static AnchorTargetDefinition Evm(string name, AnvilNode node, long revision = 1, string? keyFile = null) =>
        new(name, "evm", revision, new EvmTargetDefinition(node.RpcUrl, AnvilNode.ChainId, null, keyFile ?? node.PrivateKeyFile, null, false), null);

    [Fact]
    public async Task a_target_activated_while_running_anchors_the_whole_history_in_order_and_a_deactivated_one_stops()
    {
        await using var first = await AnvilNode.Start();
        await using var second = await AnvilNode.Start();
        var options = FastOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), options);
        var source = new Targets();
        var anchors = new AnchorWorker(l.Db, new AnchorTargets([l.LocalAnchor], source), options, new AnchorTargetFactory(l.Db, new SystemClock()));
        using var stop = new CancellationTokenSource();
        var worker = new LedgerWorker(l.Builder, l.Cutter, anchors, options).RunAsync(stop.Token);
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stopWriting.IsCancellationRequested) { await l.AppendEvents(2); await Task.Delay(30); }
        });

        // Only the local anchor at first; some history builds up before any chain is there.
        await WaitUntil(async () => (await Status(l, "local"))?.LastAnchoredSize >= 20, "the local anchor", 60);
        Assert.Null(await Status(l, "alliance-a"));
        source.Set(Evm("alliance-a", first), Evm("alliance-b", second));
        await WaitUntil(async () => (await Status(l, "alliance-a"))?.LastAnchoredSize >= 40 && (await Status(l, "alliance-b"))?.LastAnchoredSize >= 40, "both targets", 60);
        Assert.Equal(["local", "alliance-a", "alliance-b"], anchors.Anchors.Select(a => a.Name));

        source.Set(Evm("alliance-a", first));
        await WaitUntil(() => Task.FromResult(anchors.Anchors.Count == 2), "alliance-b to stop", 60);
        await Task.Delay(300); // a submission in flight when it stopped may still commit
        var bStopped = (await Status(l, "alliance-b"))!.LastAnchoredSize;
        var aThen = (await Status(l, "alliance-a"))!.LastAnchoredSize;
        await WaitUntil(async () => (await Status(l, "alliance-a"))!.LastAnchoredSize > aThen + 10, "alliance-a going on", 60);
        Assert.Equal(bStopped, (await Status(l, "alliance-b"))!.LastAnchoredSize);

        await stopWriting.CancelAsync();
        await writer;
        var head = await l.Store.HeadPosition(default);
        await WaitUntil(async () => (await Status(l, "alliance-a"))!.LastAnchoredSize == head, "alliance-a to catch up", 60);
        await stop.CancelAsync();
        await worker;

        // alliance-a holds every checkpoint, from the first, cut before it was activated or after, once and in order.
        var checkpoints = await l.Checkpoints.Range(0, 10_000, default);
        var receipts = (await l.Service.Anchors(null, 0, 10_000, default)).Where(r => r.Anchor == "alliance-a").ToList();
        Assert.Equal(checkpoints.Select(c => c.TreeSize), receipts.Select(r => r.TreeSize));
        var contract = (await new EvmDeployments(_db.DataSource).Find("alliance-a", default))!.ContractAddress;
        var onChain = await new EvmAnchorReader(first.RpcUrl).Events(contract, null, 0, null, default);
        Assert.Equal(checkpoints.Select(c => c.TreeSize), onChain.Select(e => e.TreeSize));
        Assert.Equal(checkpoints.Select(c => c.RootHash), onChain.Select(e => e.Root));
    }

    [Fact]
    public async Task a_target_that_cannot_start_shows_why_leaves_the_local_anchor_going_and_starts_once_its_key_file_is_there()
    {
        await using var node = await AnvilNode.Start();
        var options = FastOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), options);
        var keyFile = Path.Combine(Path.GetTempPath(), $"assetledger-missing-{Guid.NewGuid():N}.key");
        var source = new Targets();
        source.Set(Evm("evm-later", node, keyFile: keyFile));
        var anchors = new AnchorWorker(l.Db, new AnchorTargets([l.LocalAnchor], source), options, new AnchorTargetFactory(l.Db, new SystemClock()));
        using var stop = new CancellationTokenSource();
        var worker = new LedgerWorker(l.Builder, l.Cutter, anchors, options).RunAsync(stop.Token);
        try
        {
            for (var i = 0; i < 5; i++) { await l.AppendEvents(2); await Task.Delay(120); }
            var head = await l.Store.HeadPosition(default);
            await WaitUntil(async () => (await Status(l, "local"))?.LastAnchoredSize == head, "the local anchor", 60);
            var down = (await Status(l, "evm-later"))!;
            Assert.Equal(0, down.LastAnchoredSize);
            Assert.Contains("cannot start", down.LastError);
            Assert.Contains(keyFile, down.LastError);
            Assert.NotNull(down.FailingSince);
            Assert.Equal(["local"], anchors.Anchors.Select(a => a.Name));

            await File.WriteAllTextAsync(keyFile, AnvilNode.DevPrivateKey);
            await WaitUntil(async () => (await Status(l, "evm-later"))!.LastAnchoredSize == head, "the target to start and catch up", 60);
            var up = (await Status(l, "evm-later"))!;
            Assert.Null(up.LastError);
            Assert.Null(up.FailingSince);
        }
        finally
        {
            await stop.CancelAsync();
            await worker;
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task a_changed_definition_rebuilds_the_anchor_and_a_managed_name_that_a_configured_anchor_uses_is_ignored()
    {
        await using var node = await AnvilNode.Start();
        var options = FastOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), options);
        var source = new Targets();
        var targets = new AnchorTargets([l.LocalAnchor], source);
        var anchors = new AnchorWorker(l.Db, targets, options, new AnchorTargetFactory(l.Db, new SystemClock()));
        source.Set(Evm("chain-x", node, revision: 1), Evm("local", node));

        await anchors.SyncTargets(default);
        var built = anchors.Anchors.Single(a => a.Name == "chain-x");
        Assert.Equal(["local", "chain-x"], await targets.Names(default));
        Assert.Same(l.LocalAnchor, anchors.Anchors.Single(a => a.Name == "local"));

        await anchors.SyncTargets(default);
        Assert.Same(built, anchors.Anchors.Single(a => a.Name == "chain-x"));

        source.Set(Evm("chain-x", node, revision: 2));
        var stopped = await anchors.SyncTargets(default);
        Assert.Same(built, Assert.Single(stopped));
        Assert.NotSame(built, anchors.Anchors.Single(a => a.Name == "chain-x"));
    }

    static async Task<AnchorStatus?> Status(LedgerParts l, string anchor) =>
        (await l.Service.AnchorStatuses(default)).SingleOrDefault(s => s.Anchor == anchor);

}
