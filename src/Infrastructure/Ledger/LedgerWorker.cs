using AssetLedger.Infrastructure.Ledger.Anchors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>
/// Runs the ledger in the background of every API process: append new events as leaves, cut a checkpoint
/// when due, anchor pending checkpoints. Each step is made single across processes by the database, so
/// running it everywhere is safe; a failing step is logged and retried on the next round. In the background
/// each anchor runs in a loop of its own (<see cref="AnchorWorker.Run"/>), beside the tree loop, so a slow or
/// unreachable chain never holds up the checkpoints, the local anchor or another chain.
/// </summary>
public sealed class LedgerWorker(MerkleTreeBuilder builder, CheckpointCutter cutter, AnchorWorker anchors, LedgerOptions options, ILogger<LedgerWorker>? log = null) : BackgroundService
{
    readonly ILogger _log = log ?? (ILogger)NullLogger.Instance;

    /// <summary>One round; returns whether it did anything (so the loop only sleeps when idle).</summary>
    public async Task<bool> RunOnce(CancellationToken ct)
    {
        var worked = await GrowTree(ct);
        worked |= await Step("anchor checkpoints", async () => await anchors.AnchorPending(ct, maxPerAnchor: 10) > 0, ct);
        return worked;
    }

    async Task<bool> GrowTree(CancellationToken ct) => await GrowTreeRound(ct) != Round.Idle;

    enum Round { Idle, Some, Full }

    /// <summary>One round of the tree: append what is new, cut if due. Full when the append took a whole batch (more is waiting).</summary>
    async Task<Round> GrowTreeRound(CancellationToken ct)
    {
        var appended = 0;
        var cut = false;
        await Step("append leaves", async () => (appended = await builder.AppendNext(ct)) > 0, ct);
        await Step("cut a checkpoint", async () => cut = await cutter.TryCut(ct) is not null, ct);
        return appended >= builder.BatchSize ? Round.Full : appended > 0 || cut ? Round.Some : Round.Idle;
    }

    public Task RunAsync(CancellationToken ct) => ExecuteAsync(ct);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Task.Run(() => TreeLoop(stoppingToken), CancellationToken.None), anchors.Run(stoppingToken));

    async Task TreeLoop(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Round round;
            try { round = await GrowTreeRound(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            // Only a full batch goes round again at once. A round that took what the log had pauses too: under load the log
            // grows every few milliseconds, and going round at once made a tree transaction (and a flushed commit) per few
            // events; after a pause one takes them all. Leaves stay at most PollInterval behind, well inside CheckpointInterval.
            if (round != Round.Full)
            {
                try { await Task.Delay(options.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    async Task<bool> Step(string what, Func<Task<bool>> step, CancellationToken ct)
    {
        try
        {
            // One stage per step ("ledger.append leaves", "ledger.cut a checkpoint", "ledger.anchor checkpoints").
            using var stage = Application.Diagnostics.Stages.Start(Application.Diagnostics.Stages.Ledger + what);
            return await step();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _log.LogError(ex, "Ledger worker could not {Step}; it will try again.", what);
            return false;
        }
    }
}
