using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Canonical;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AssetLedger.Infrastructure.EventStore;

/// <summary>
/// The PostgreSQL event store. Appends from all callers of this process are committed in batches (group
/// commit: one transaction and one WAL flush for many appends) by a writer with a connection of its own
/// (or a few: <see cref="MaxBatchesInFlight"/>). Every batch takes the row lock of <c>event_sequence</c>
/// first, so across every process positions are assigned in commit order and the log a reader sees is final
/// and gap-free.
/// <para>
/// A batch is normally decided from the stream heads this process already knows and written in one round
/// trip (<see cref="BatchPlan.FromHints"/>); the database's constraints confirm that decision or refuse the
/// batch, which is then decided again from fresh reads (<see cref="BatchPlan.FromStored"/>) and written by the same
/// one-statement call. The sequence lock is held only inside that statement, never while this process turns around.
/// </para>
/// </summary>
public sealed partial class PostgresEventStore : IEventStore, IAsyncDisposable
{
    readonly NpgsqlDataSource _db;
    readonly ILogger _log;
    readonly AppendQueue _queue = new();
    readonly CancellationTokenSource _stop = new();
    readonly AppendSignal _signal = new();
    readonly StreamHeads _heads = new(capacity: 100_000);
    readonly Lock _startGate = new();
    Task? _writers;

    /// <summary>Most appends one transaction takes; bounds lock hold time and memory.</summary>
    public int MaxBatchAppends { get; init; } = 512;
    public int MaxBatchEvents { get; init; } = 4096;

    /// <summary>
    /// Batches in flight at once, each from a writer with its own connection: one committing, the others sent
    /// and waiting on the sequence lock, so the lock is not idle while a writer turns around. On the two-core
    /// benchmark machine a second batch in flight lost (32 writers × 1 event: about half the events/s and twice
    /// the CPU per event, as the batches halve and every wait on the lock is a sleep and a wake-up), so the
    /// default is one; where cores are plenty and round trips long, more may pay.
    /// </summary>
    public int MaxBatchesInFlight { get; init; } = DefaultBatchesInFlight;
    public const int DefaultBatchesInFlight = 1;

    public PostgresEventStore(NpgsqlDataSource db, ILogger<PostgresEventStore>? log = null)
    {
        _db = db;
        _log = log ?? (ILogger)NullLogger.Instance;
    }

    public Task<AppendResult> Append(AppendRequest request, CancellationToken ct)
    {
        Validate(request);
        var events = new PreparedEvent[request.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var e = request.Events[i];
            events[i] = new PreparedEvent(e, Jcs.CanonicalizeToUtf8(e.Data), Jcs.CanonicalizeToUtf8(e.Metadata));
        }
        // Continuations run where the result is set, which is a work item of its own (see Complete), not a writer.
        var pending = new PendingAppend(request, events, new TaskCompletionSource<AppendResult>());
        ct.ThrowIfCancellationRequested();
        EnsureWriters();
        if (!_queue.TryAdd(pending)) throw new ObjectDisposedException(nameof(PostgresEventStore));
        // Once queued, an append is committed or refused whatever its caller does, so the caller waits for that outcome:
        // a caller that stopped waiting (a client gone) could not tell whether it wrote, and its idempotency key would
        // be freed while the append still commits. The wait is bounded by the writer's database bounds (DatabaseConnections).
        return pending.Completion.Task;
    }

    static void Validate(AppendRequest r)
    {
        if (string.IsNullOrEmpty(r.StreamId)) throw new ArgumentException("A stream id is required.", nameof(r));
        if (r.Events.Count == 0) throw new ArgumentException("An append needs at least one event.", nameof(r));
        if (r.ExpectedVersion < ExpectedVersion.Any) throw new ArgumentOutOfRangeException(nameof(r), "Expected version must be ≥ -1.");
        if (r.Events.Count > 1 && r.Events.Select(e => e.EventId).Distinct().Count() != r.Events.Count)
            throw new ArgumentException("Event ids within an append must be distinct.", nameof(r));
    }

    /// <summary>Started on first use rather than in the constructor, so the init-only settings are in force.</summary>
    void EnsureWriters()
    {
        if (Volatile.Read(ref _writers) is not null) return;
        lock (_startGate)
            _writers ??= Task.WhenAll(Enumerable.Range(0, Math.Max(1, MaxBatchesInFlight)).Select(_ => Task.Run(Writer)));
    }

    async Task Writer()
    {
        await using var conn = new WriterConnection(_db);
        try
        {
            while (await _queue.Take(MaxBatchAppends, MaxBatchEvents, _stop.Token) is { } batch)
            {
                var answers = _queue.TakeAnswers(MaxBatchAppends);
                if (batch.Count == 0)
                {
                    await WriteAnswers(conn, answers);
                    continue;
                }
                var outcomes = await WriteWithIsolation(conn, batch, answers);
                // Heads are already cached; free the streams before waking the callers, whose next appends may follow at once.
                _queue.Release(batch);
                ThreadPool.UnsafeQueueUserWorkItem(Complete, (batch, outcomes), preferLocal: false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
    }

    /// <summary>
    /// Wakes a batch's callers, their continuations running inline one after the other on this one work item:
    /// a thread woken per caller cost more CPU in wake-ups and spinning than the callers' own work (on two
    /// cores, measured: see scripts/bench-eventstore.sh), and the writer goes back to the next batch at once.
    /// </summary>
    static void Complete((List<PendingAppend> Batch, (AppendResult? Result, Exception? Error)[] Outcomes) done)
    {
        for (var i = 0; i < done.Batch.Count; i++)
        {
            if (done.Outcomes[i].Error is { } error) done.Batch[i].Completion.TrySetException(error);
            else done.Batch[i].Completion.TrySetResult(done.Outcomes[i].Result!);
        }
    }

    /// <summary>
    /// Writes a batch, with the answers of earlier keyed requests in its transaction; if it fails, stores the answers alone
    /// and writes each append alone so one bad append cannot fail the others.
    /// </summary>
    async Task<(AppendResult? Result, Exception? Error)[]> WriteWithIsolation(WriterConnection conn, List<PendingAppend> batch, List<PendingAnswer> answers)
    {
        var outcomes = new (AppendResult?, Exception?)[batch.Count];
        try
        {
            AppendResult[] results;
            using (Application.Diagnostics.Stages.Start(Application.Diagnostics.Stages.GroupCommit))
                results = await WriteBatch(conn, batch, answers, _stop.Token);
            Application.Diagnostics.Stages.Batch(batch.Count);
            for (var i = 0; i < batch.Count; i++) outcomes[i] = (results[i], null);
            foreach (var a in answers) a.Completion.TrySetResult();
            _signal.Pulse();
            return outcomes;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            await conn.ResetUnless(ex);
            _log.LogWarning(ex, "A batch of {Count} appends failed; retrying them one by one.", batch.Count);
            await WriteAnswers(conn, answers);
        }
        catch (Exception ex)
        {
            await conn.ResetUnless(ex);
            outcomes[0] = (null, ex);
            await WriteAnswers(conn, answers);
            return outcomes;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                outcomes[i] = ((await WriteChecked(conn, [batch[i]], _stop.Token))[0], null);
                _signal.Pulse();
            }
            catch (Exception ex)
            {
                await conn.ResetUnless(ex);
                outcomes[i] = (null, ex);
            }
        }
        return outcomes;
    }

    /// <summary>
    /// Stores the answer of a keyed request whose append has committed (so its key's row exists): in the transaction of the
    /// next batch of appends, or with the other answers waiting when no append waits. Completes once committed.
    /// </summary>
    public Task StoreAnswer(IdempotencyKey key, IdempotentAnswer answer)
    {
        var pending = new PendingAnswer(key, answer, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        EnsureWriters();
        if (!_queue.TryAdd(pending)) throw new ObjectDisposedException(nameof(PostgresEventStore));
        return pending.Completion.Task;
    }

    /// <summary>Answers alone, in one statement; each fails with its error if it could not be stored.</summary>
    async Task WriteAnswers(WriterConnection conn, List<PendingAnswer> answers)
    {
        if (answers.Count == 0) return;
        try
        {
            var append = await conn.Append(_stop.Token);
            await using var cmd = AppendRows.CreateAnswersCommand(append.Connection!, answers);
            await cmd.ExecuteNonQueryAsync(_stop.Token);
            foreach (var a in answers) a.Completion.TrySetResult();
        }
        catch (Exception ex)
        {
            await conn.ResetUnless(ex);
            foreach (var a in answers) a.Completion.TrySetException(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Complete();
        if (Volatile.Read(ref _writers) is { } writers)
        {
            try { await writers.WaitAsync(TimeSpan.FromSeconds(10)); }
            catch (TimeoutException) { await _stop.CancelAsync(); }
        }
        _queue.FailRemaining(new ObjectDisposedException(nameof(PostgresEventStore)));
        _stop.Dispose();
    }
}
