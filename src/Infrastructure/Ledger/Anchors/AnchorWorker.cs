using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;
using Polly.Retry;

namespace AssetLedger.Infrastructure.Ledger.Anchors;

/// <summary>
/// Sends every checkpoint to every anchor, strictly in size order, each anchor with its own cursor
/// (<c>anchor_cursors</c>) so a slow or failing one blocks no other. The cursor row is locked with
/// SKIP LOCKED while a checkpoint is submitted: one process works an anchor at a time, the others skip
/// it. A submission is retried with exponential backoff (Polly); if it still fails the cursor records
/// the error and waits (doubling up to <see cref="LedgerOptions.AnchorMaxBackoff"/>) before the next run.
/// Each attempt is cut off after <see cref="LedgerOptions.AnchorSubmitTimeout"/>, and <see cref="Run"/> gives every
/// anchor a loop of its own, so a target that hangs or is down delays neither the others nor the checkpoints.
/// The cursor and the receipt are committed together, so a restart resumes at the next checkpoint.
/// </summary>
public sealed class AnchorWorker
{
    readonly NpgsqlDataSource _db;
    readonly AnchorTargets _targets;
    readonly AnchorTargetFactory? _factory;
    readonly CheckpointStore _checkpoints;
    readonly LedgerOptions _options;
    readonly ILogger _log;
    readonly ResiliencePipeline _retry;
    readonly Dictionary<string, ManagedAnchor> _managed = [];
    readonly SemaphoreSlim _sync = new(1, 1);
    volatile IReadOnlyList<IAnchor> _all;

    /// <summary>A managed target's anchor, the definition revision it was built from, and its loop (when running in the background).</summary>
    sealed class ManagedAnchor(long revision, IAnchor? anchor)
    {
        public long Revision { get; } = revision;
        public IAnchor? Anchor { get; } = anchor;
        public CancellationTokenSource? Stop { get; set; }
        public Task Loop { get; set; } = Task.CompletedTask;
    }

    public AnchorWorker(NpgsqlDataSource db, IEnumerable<IAnchor> anchors, LedgerOptions options, ILogger<AnchorWorker>? log = null)
        : this(db, new AnchorTargets(anchors), options, null, log) { }

    /// <param name="factory">Builds the anchors of the managed chain targets; null: only the configured anchors run.</param>
    public AnchorWorker(NpgsqlDataSource db, AnchorTargets targets, LedgerOptions options, AnchorTargetFactory? factory, ILogger<AnchorWorker>? log = null)
    {
        _db = db;
        _targets = targets;
        _factory = factory;
        _all = targets.Configured;
        _checkpoints = new CheckpointStore(db);
        _options = options;
        _log = log ?? (ILogger)NullLogger.Instance;
        _retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            MaxRetryAttempts = Math.Max(1, options.AnchorRetryAttempts),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.AnchorRetryDelay,
            MaxDelay = options.AnchorMaxBackoff,
        }).AddTimeout(options.AnchorSubmitTimeout).Build();
    }

    /// <summary>The anchors this worker runs now: the configured ones, then the managed targets it has built (as of the last <see cref="SyncTargets"/>).</summary>
    public IReadOnlyList<IAnchor> Anchors => _all;

    /// <summary>
    /// Brings the managed targets in line with the chain records: builds the anchor of a newly active target, drops a
    /// deactivated one, rebuilds one whose definition changed. A target that cannot be built (its key file is missing,
    /// say) gets the reason in its cursor's status and is tried again at the next sync. Returns the anchors to stop.
    /// </summary>
    public async Task<IReadOnlyList<IAnchor>> SyncTargets(CancellationToken ct)
    {
        if (_factory is null) return [];
        var wanted = (await _targets.Managed(ct)).ToDictionary(t => t.Name);
        await _sync.WaitAsync(ct);
        try
        {
            var stopped = new List<ManagedAnchor>();
            foreach (var (name, running) in _managed.ToList())
            {
                if (wanted.TryGetValue(name, out var d) && d.Revision == running.Revision && running.Anchor is not null) continue;
                _managed.Remove(name);
                stopped.Add(running);
            }
            foreach (var target in wanted.Values.Where(t => !_managed.ContainsKey(t.Name)))
            {
                try
                {
                    _managed[target.Name] = new ManagedAnchor(target.Revision, _factory.Create(target));
                    _log.LogInformation("Anchor target {Anchor} ({Kind}) is active.", target.Name, target.Kind);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    var previous = stopped.FirstOrDefault(s => s.Anchor is null && s.Revision == target.Revision);
                    if (previous is null) _log.LogWarning(ex, "Anchor target {Anchor} cannot start; it is tried again in {Interval}.", target.Name, _options.TargetRefreshInterval);
                    await RecordStartFailure(target.Name, ex, ct);
                    _managed[target.Name] = new ManagedAnchor(target.Revision, null);
                }
            }
            _all = [.. _targets.Configured, .. _managed.Values.Select(m => m.Anchor).OfType<IAnchor>()];
            foreach (var s in stopped)
            {
                if (s.Stop is { } stop) { await stop.CancelAsync(); try { await s.Loop; } catch (OperationCanceledException) { } stop.Dispose(); }
                if (s.Anchor is not null) _log.LogInformation("Anchor target {Anchor} stopped.", s.Anchor.Name);
            }
            return stopped.Select(s => s.Anchor).OfType<IAnchor>().ToList();
        }
        finally
        {
            _sync.Release();
        }
    }

    async Task RecordStartFailure(string anchor, Exception ex, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("""
            INSERT INTO anchor_cursors (anchor, last_error, failing_since) VALUES ($1, $2, now())
            ON CONFLICT (anchor) DO UPDATE SET last_error = excluded.last_error, failing_since = coalesce(anchor_cursors.failing_since, now()), updated_at = now()
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = anchor });
        cmd.Parameters.Add(new NpgsqlParameter { Value = "cannot start: " + Describe(ex) });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Anchors the pending checkpoints of every anchor, the anchors side by side, up to <paramref name="maxPerAnchor"/> each; returns how many.</summary>
    public async Task<int> AnchorPending(CancellationToken ct, int maxPerAnchor = 100)
    {
        await SyncTargets(ct);
        var counts = await Task.WhenAll(_all.Select(async anchor =>
        {
            var n = 0;
            while (n < maxPerAnchor && await AnchorNext(anchor, ct)) n++;
            return n;
        }));
        return counts.Sum();
    }

    /// <summary>
    /// Runs one loop per anchor until cancelled: each anchors what is pending, then polls; a failure is logged and backed off.
    /// Every <see cref="LedgerOptions.TargetRefreshInterval"/> the managed targets are synced: a newly active one gets its loop, a
    /// deactivated one's loop stops.
    /// </summary>
    public Task Run(CancellationToken ct) => Task.WhenAll(_targets.Configured.Select(a => Task.Run(() => RunAnchor(a, ct), CancellationToken.None))
        .Append(Task.Run(() => RunManaged(ct), CancellationToken.None)));

    async Task RunManaged(CancellationToken ct)
    {
        if (_factory is null) return;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await SyncTargets(ct);
                    await _sync.WaitAsync(ct);
                    try
                    {
                        foreach (var m in _managed.Values.Where(m => m.Anchor is not null && m.Stop is null))
                        {
                            m.Stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                            var token = m.Stop.Token;
                            m.Loop = Task.Run(() => RunAnchor(m.Anchor!, token), CancellationToken.None);
                        }
                    }
                    finally { _sync.Release(); }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
                catch (Exception ex)
                {
                    _log.LogError(ex, "Anchor worker could not read the managed chain targets; it will try again.");
                }
                try { await Task.Delay(_options.TargetRefreshInterval, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
        finally
        {
            await Task.WhenAll(_managed.Values.Select(async m =>
            {
                try { await m.Loop; } catch (OperationCanceledException) { }
            }));
        }
    }

    async Task RunAnchor(IAnchor anchor, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            bool worked;
            try { worked = await AnchorNext(anchor, ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                _log.LogError(ex, "Anchor worker for {Anchor} could not read its cursor or checkpoints; it will try again.", anchor.Name);
                worked = false;
            }
            if (worked) continue;
            try { await Task.Delay(_options.PollInterval, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Anchors the next checkpoint for one anchor; false if there was none, another process holds the cursor, or it failed.</summary>
    public async Task<bool> AnchorNext(IAnchor anchor, CancellationToken ct)
    {
        // Unlocked look first (one statement): each anchor's loop asks every PollInterval, and most asks find nothing new, which
        // cost a write, a row lock and a rollback each. A cursor not made yet, or one that is due with a checkpoint after it,
        // goes on to the locked path, which decides again.
        await using (var peek = _db.CreateCommand(
            """
            SELECT NOT EXISTS (SELECT 1 FROM anchor_cursors WHERE anchor = $1)
                OR EXISTS (SELECT 1 FROM anchor_cursors a WHERE a.anchor = $1 AND a.next_attempt_at <= now()
                           AND EXISTS (SELECT 1 FROM checkpoints c WHERE c.tree_size > a.last_size))
            """))
        {
            peek.Parameters.Add(new NpgsqlParameter { Value = anchor.Name });
            if (!(bool)(await peek.ExecuteScalarAsync(ct))!) return false;
        }
        await using var conn = await _db.OpenConnectionAsync(ct);
        await using (var ensure = new NpgsqlCommand("INSERT INTO anchor_cursors (anchor) VALUES ($1) ON CONFLICT (anchor) DO NOTHING", conn))
        {
            ensure.Parameters.Add(new NpgsqlParameter { Value = anchor.Name });
            await ensure.ExecuteNonQueryAsync(ct);
        }
        await using var tx = await conn.BeginTransactionAsync(ct);
        long lastSize;
        int failures;
        await using (var cursor = new NpgsqlCommand(
            "SELECT last_size, failures FROM anchor_cursors WHERE anchor = $1 AND next_attempt_at <= now() FOR UPDATE SKIP LOCKED", conn, tx))
        {
            cursor.Parameters.Add(new NpgsqlParameter { Value = anchor.Name });
            await using var r = await cursor.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return false;
            (lastSize, failures) = (r.GetInt64(0), r.GetInt32(1));
        }
        var next = await _checkpoints.After(lastSize, ct);
        if (next is null) return false;
        // A database restored from before a checkpoint an anchor holds would anchor a fork: wait for the operator.
        if (_options.PublishedMarkFile is { } markFile && await RollbackGuard.Check(_db, markFile, ct) is { } missing)
        {
            _log.LogWarning("Not anchoring: the database lacks checkpoint {Size}, which {Anchor} holds; run `assetledger ledger acknowledge-loss`.", missing.TreeSize, missing.HeldBy);
            return false;
        }

        AnchorReceipt receipt;
        try
        {
            receipt = await _retry.ExecuteAsync(async token => await anchor.Submit(ToAnchor(next), token), ct);
            if (receipt.TreeSize != next.TreeSize) throw new InvalidOperationException($"Anchor {anchor.Name} answered for size {receipt.TreeSize}, not {next.TreeSize}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var wait = TimeSpan.FromTicks(Math.Min(_options.AnchorMaxBackoff.Ticks, TimeSpan.FromSeconds(1).Ticks << Math.Min(failures, 20)));
            _log.LogWarning(ex, "Anchoring checkpoint {Size} to {Anchor} failed ({Failures} runs in a row); next try in {Wait}.", next.TreeSize, anchor.Name, failures + 1, wait);
            await using var fail = new NpgsqlCommand(
                "UPDATE anchor_cursors SET failures = failures + 1, last_error = $2, next_attempt_at = now() + $3, failing_since = coalesce(failing_since, now()), updated_at = now() WHERE anchor = $1", conn, tx);
            fail.Parameters.Add(new NpgsqlParameter { Value = anchor.Name });
            fail.Parameters.Add(new NpgsqlParameter { Value = Describe(ex) });
            fail.Parameters.Add(new NpgsqlParameter { Value = wait });
            await fail.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
            return false;
        }

        await using (var done = new NpgsqlBatch(conn, tx))
        {
            var insert = new NpgsqlBatchCommand(
                "INSERT INTO anchor_receipts (anchor, tree_size, transaction_ref, anchored_at, proof) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (anchor, tree_size) DO NOTHING");
            foreach (var v in new object[] { anchor.Name, receipt.TreeSize, receipt.TransactionReference, receipt.AnchoredAt, receipt.ProofJson })
                insert.Parameters.Add(new NpgsqlParameter { Value = v });
            done.BatchCommands.Add(insert);
            var advance = new NpgsqlBatchCommand("UPDATE anchor_cursors SET last_size = $2, failures = 0, last_error = NULL, failing_since = NULL, next_attempt_at = now(), updated_at = now() WHERE anchor = $1");
            advance.Parameters.Add(new NpgsqlParameter { Value = anchor.Name });
            advance.Parameters.Add(new NpgsqlParameter { Value = next.TreeSize });
            done.BatchCommands.Add(advance);
            await done.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        // After the commit: the mark may then name a checkpoint the database has, never one it might not.
        if (_options.PublishedMarkFile is { } mark)
            PublishedMark.Raise(mark, await RollbackGuard.Identity(_db, ct), new PublishedCheckpoint(next.TreeSize, Convert.ToHexStringLower(next.NoteHash), anchor.Name, receipt.AnchoredAt));
        return true;
    }

    /// <summary>The error for the status: the message, and the root cause's when a client library wraps it (e.g. "connection refused").</summary>
    static string Describe(Exception ex)
    {
        var root = ex;
        while (root.InnerException is not null) root = root.InnerException;
        return root == ex || ex.Message.Contains(root.Message, StringComparison.Ordinal) ? ex.Message : $"{ex.Message} ({root.Message})";
    }

    public static CheckpointToAnchor ToAnchor(SignedCheckpoint c)
    {
        var body = CheckpointBody.Parse(c.Note[..(c.Note.LastIndexOf("\n\n", StringComparison.Ordinal) + 1)]);
        return new CheckpointToAnchor(body.Origin, c.TreeSize, Convert.ToHexStringLower(c.RootHash), Convert.ToHexStringLower(c.NoteHash),
            c.PreviousHash is null ? null : Convert.ToHexStringLower(c.PreviousHash), c.Timestamp, c.Note);
    }
}
