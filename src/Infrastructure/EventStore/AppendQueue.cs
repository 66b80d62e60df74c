using System.Threading.Channels;
using AssetLedger.Application.Ports;

namespace AssetLedger.Infrastructure.EventStore;

/// <summary>An event canonicalised on the caller's thread, so a writer only concatenates and hashes.</summary>
sealed record PreparedEvent(EventToAppend Source, byte[] CanonicalData, byte[] CanonicalMetadata);

sealed record PendingAppend(AppendRequest Request, PreparedEvent[] Events, TaskCompletionSource<AppendResult> Completion);

/// <summary>The answer of a keyed request whose append committed, to store in the next batch.</summary>
sealed record PendingAnswer(IdempotencyKey Key, IdempotentAnswer Answer, TaskCompletionSource Completion);

/// <summary>
/// Hands the pending appends of this process to its writers in batches. Several batches may be in flight at
/// once (one writing, the next already sent and waiting for the sequence lock), so each batch holds its
/// streams: an append to a stream that a batch in flight writes waits for that batch, because its head is
/// not known until that batch commits or fails. Appends to one stream keep their order.
/// </summary>
sealed class AppendQueue
{
    readonly Channel<PendingAppend> _channel = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = false });
    readonly Lock _gate = new();
    readonly List<PendingAppend> _held = [];
    readonly HashSet<string> _busy = new(StringComparer.Ordinal);
    readonly AppendSignal _released = new();
    readonly System.Collections.Concurrent.ConcurrentQueue<PendingAnswer> _answers = new();
    readonly AppendSignal _answered = new();

    public bool TryAdd(PendingAppend p) => _channel.Writer.TryWrite(p);

    /// <summary>Queues an answer for the next batch (or, with no append waiting, a statement of answers alone).</summary>
    public bool TryAdd(PendingAnswer a)
    {
        if (_channel.Reader.Completion.IsCompleted) return false;
        _answers.Enqueue(a);
        _answered.Pulse();
        return true;
    }

    /// <summary>The answers waiting, up to <paramref name="max"/>: the batch taken with them stores them.</summary>
    public List<PendingAnswer> TakeAnswers(int max)
    {
        var taken = new List<PendingAnswer>();
        while (taken.Count < max && _answers.TryDequeue(out var a)) taken.Add(a);
        return taken;
    }

    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>
    /// The next batch (empty when only answers wait: see <see cref="TakeAnswers"/>), or null once the queue is completed and
    /// empty.
    /// </summary>
    public async Task<List<PendingAppend>?> Take(int maxAppends, int maxEvents, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var released = _released.Next();
            var answered = _answered.Next();
            lock (_gate)
            {
                var batch = Fill(maxAppends, maxEvents);
                if (batch.Count > 0 || !_answers.IsEmpty) return batch;
                if (_channel.Reader.Completion.IsCompleted && _held.Count == 0) return null;
            }
            // Nothing free to take: wait for a new append or answer, or for a batch to release the streams of held ones.
            if (_channel.Reader.Completion.IsCompleted) await Task.WhenAny(released, answered).WaitAsync(ct);
            else await Task.WhenAny(_channel.Reader.WaitToReadAsync(ct).AsTask(), released, answered);
        }
    }

    /// <summary>Frees the streams of a batch that has committed or failed. Call once per batch taken.</summary>
    public void Release(List<PendingAppend> batch)
    {
        lock (_gate)
        {
            foreach (var p in batch) _busy.Remove(p.Request.StreamId);
            if (_held.Count == 0) return;
        }
        _released.Pulse();
    }

    List<PendingAppend> Fill(int maxAppends, int maxEvents)
    {
        var batch = new List<PendingAppend>();
        var events = 0;
        for (var i = 0; i < _held.Count && batch.Count < maxAppends && events < maxEvents;)
        {
            if (_busy.Contains(_held[i].Request.StreamId)) { i++; continue; }
            events += _held[i].Events.Length;
            batch.Add(_held[i]);
            _held.RemoveAt(i);
        }
        while (batch.Count < maxAppends && events < maxEvents && _channel.Reader.TryRead(out var p))
        {
            if (_busy.Contains(p.Request.StreamId)) { _held.Add(p); continue; }
            events += p.Events.Length;
            batch.Add(p);
        }
        foreach (var p in batch) _busy.Add(p.Request.StreamId);
        return batch;
    }

    /// <summary>Fails every append still waiting (the store is being disposed).</summary>
    public void FailRemaining(Exception ex)
    {
        lock (_gate)
        {
            foreach (var p in _held) p.Completion.TrySetException(ex);
            _held.Clear();
        }
        while (_channel.Reader.TryRead(out var p)) p.Completion.TrySetException(ex);
        while (_answers.TryDequeue(out var a)) a.Completion.TrySetException(ex);
    }
}
