using AssetLedger.Application.Ports;
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
    readonly IReadOnlyList<IAnchor> _anchors;
    readonly CheckpointStore _checkpoints;
    readonly LedgerOptions _options;
    readonly ILogger _log;
    readonly ResiliencePipeline _retry;

    public AnchorWorker(NpgsqlDataSource db, IEnumerable<IAnchor> anchors, LedgerOptions options, ILogger<AnchorWorker>? log = null)
    {
        _db = db;
        _anchors = anchors.ToList();
        if (_anchors.Select(a => a.Name).Distinct().Count() != _anchors.Count) throw new ArgumentException("Anchor names must be distinct.", nameof(anchors));
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

    public IReadOnlyList<IAnchor> Anchors => _anchors;

    /// <summary>Anchors the pending checkpoints of every anchor, the anchors side by side, up to <paramref name="maxPerAnchor"/> each; returns how many.</summary>
    public async Task<int> AnchorPending(CancellationToken ct, int maxPerAnchor = 100)
    {
        var counts = await Task.WhenAll(_anchors.Select(async anchor =>
        {
            var n = 0;
            while (n < maxPerAnchor && await AnchorNext(anchor, ct)) n++;
            return n;
        }));
        return counts.Sum();
    }

    /// <summary>Runs one loop per anchor until cancelled: each anchors what is pending, then polls; a failure is logged and backed off.</summary>
    public Task Run(CancellationToken ct) => Task.WhenAll(_anchors.Select(a => Task.Run(() => RunAnchor(a, ct), CancellationToken.None)));

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
