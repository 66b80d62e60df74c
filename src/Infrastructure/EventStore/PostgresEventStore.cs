using System.Threading.Channels;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Canonical;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AssetLedger.Infrastructure.EventStore;

/// <summary>
/// The PostgreSQL event store. Appends from all callers of this process go through one writer loop that
/// commits them in batches (group commit: one transaction and one WAL flush for many appends). Each batch
/// takes the row lock of <c>event_sequence</c> first, so across every process positions are assigned in
/// commit order and the log a reader sees is final and gap-free. Inside the lock, version checks, event-id
/// idempotency and unique keys are authoritative because no other writer can insert meanwhile.
/// </summary>
public sealed partial class PostgresEventStore : IEventStore, IAsyncDisposable
{
    readonly NpgsqlDataSource _db;
    readonly ILogger _log;
    readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _writer;
    readonly CancellationTokenSource _stop = new();
    readonly AppendSignal _signal = new();

    /// <summary>Most appends one transaction takes; bounds lock hold time and memory.</summary>
    public int MaxBatchAppends { get; init; } = 512;
    public int MaxBatchEvents { get; init; } = 4096;

    public PostgresEventStore(NpgsqlDataSource db, ILogger<PostgresEventStore>? log = null)
    {
        _db = db;
        _log = log ?? (ILogger)NullLogger.Instance;
        _writer = Task.Run(WriteLoop);
    }

    public Task<AppendResult> Append(AppendRequest request, CancellationToken ct)
    {
        Validate(request);
        // Canonicalise on the caller's thread, so the writer holding the lock only concatenates and hashes.
        var prepared = request.Events.Select(e => new PreparedEvent(e, Jcs.Canonicalize(e.Data), Jcs.Canonicalize(e.Metadata))).ToArray();
        var pending = new PendingAppend(request, prepared, new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(PostgresEventStore));
        return pending.Completion.Task.WaitAsync(ct);
    }

    static void Validate(AppendRequest r)
    {
        if (string.IsNullOrEmpty(r.StreamId)) throw new ArgumentException("A stream id is required.", nameof(r));
        if (r.Events.Count == 0) throw new ArgumentException("An append needs at least one event.", nameof(r));
        if (r.ExpectedVersion < ExpectedVersion.Any) throw new ArgumentOutOfRangeException(nameof(r), "Expected version must be ≥ -1.");
        if (r.Events.Select(e => e.EventId).Distinct().Count() != r.Events.Count) throw new ArgumentException("Event ids within an append must be distinct.", nameof(r));
    }

    async Task WriteLoop()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingAppend>();
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                batch.Clear();
                var events = 0;
                while (batch.Count < MaxBatchAppends && events < MaxBatchEvents && reader.TryRead(out var p))
                {
                    batch.Add(p);
                    events += p.Events.Length;
                }
                await WriteWithIsolation(batch);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        while (reader.TryRead(out var left)) left.Completion.TrySetException(new ObjectDisposedException(nameof(PostgresEventStore)));
    }

    /// <summary>Writes a batch; if it fails, retries each append alone so one bad append cannot fail the others.</summary>
    async Task WriteWithIsolation(List<PendingAppend> batch)
    {
        try
        {
            var results = await WriteBatch(batch, _stop.Token);
            for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(results[i]);
            _signal.Pulse();
            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            _log.LogWarning(ex, "A batch of {Count} appends failed; retrying them one by one.", batch.Count);
        }
        catch (Exception ex)
        {
            batch[0].Completion.TrySetException(ex);
            return;
        }
        foreach (var p in batch)
        {
            try
            {
                var r = await WriteBatch([p], _stop.Token);
                p.Completion.TrySetResult(r[0]);
                _signal.Pulse();
            }
            catch (Exception ex) { p.Completion.TrySetException(ex); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try { await _writer.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (TimeoutException) { await _stop.CancelAsync(); }
        _stop.Dispose();
    }

    sealed record PreparedEvent(EventToAppend Source, string CanonicalData, string CanonicalMetadata);

    sealed record PendingAppend(AppendRequest Request, PreparedEvent[] Events, TaskCompletionSource<AppendResult> Completion);
}
