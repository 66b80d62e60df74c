using AssetLedger.Application.Ports;
using AssetLedger.Domain.Webhooks;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>
/// The recent stretch of the log, read and prepared once per instance for all the subscriptions it delivers to: ten
/// subscriptions at the head of the log cost one read and one fold per event, not ten. The window holds every event
/// after <c>_from</c> up to its last, in log order (positions are final, so a read after the last one extends it without
/// a gap). A subscription inside it gets its next batch from memory; one at its end reads for everyone (one reader at a
/// time, the others then find the events there); one behind it (a replay, a subscription that fell far back) reads and
/// prepares its own batch without disturbing the window.
/// </summary>
public sealed class RecentEvents(IEventStore store)
{
    /// <summary>Most events kept (the oldest go first): enough for every lane of a busy instance to find its batch.</summary>
    public const int Capacity = 4096;

    readonly SemaphoreSlim _reading = new(1, 1);
    readonly Lock _gate = new();
    readonly List<PreparedEvent> _window = [];
    long _from = -1;
    AssetStates _states = new(store);

    /// <summary>Up to <paramref name="max"/> events after <paramref name="position"/>, in log order; empty when there are none yet.</summary>
    public async Task<IReadOnlyList<PreparedEvent>> After(long position, int max, CancellationToken ct)
    {
        bool behind;
        lock (_gate)
        {
            if (Slice(position, max) is { } hit) return hit;
            behind = _window.Count > 0 && position < _from;
        }
        if (behind) return await Prepare(await store.ReadAll(position, max, ct), new AssetStates(store), ct);
        await _reading.WaitAsync(ct);
        try
        {
            long last;
            lock (_gate)
            {
                if (Slice(position, max) is { } hit) return hit;
                last = _window.Count > 0 ? _window[^1].Position : _from;
            }
            // At the end of the window: extend it. Past it (or none yet): start a new one there. Behind it (it moved on
            // while this lane waited): read alone.
            if (position < last && _window.Count > 0) return await Prepare(await store.ReadAll(position, max, ct), new AssetStates(store), ct);
            var states = position == last ? _states : new AssetStates(store);
            var read = await Prepare(await store.ReadAll(position, max, ct), states, ct);
            lock (_gate)
            {
                if (position != last) { _window.Clear(); _from = position; _states = states; }
                _window.AddRange(read);
                var over = _window.Count - Capacity;
                if (over > 0) { _from = _window[over - 1].Position; _window.RemoveRange(0, over); }
                _states.Forget(Capacity * 4);
            }
            return read;
        }
        finally { _reading.Release(); }
    }

    /// <summary>The window's events after <paramref name="position"/> when it covers them (null when the caller must read).</summary>
    IReadOnlyList<PreparedEvent>? Slice(long position, int max)
    {
        if (_window.Count == 0 || position < _from || position >= _window[^1].Position) return null;
        var lo = 0;
        var hi = _window.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_window[mid].Position <= position) lo = mid + 1; else hi = mid;
        }
        return _window.GetRange(lo, Math.Min(max, _window.Count - lo));
    }

    /// <summary>Each event with its type and, for webhook events, the asset around it (<paramref name="states"/> folded in log order).</summary>
    static async Task<IReadOnlyList<PreparedEvent>> Prepare(IReadOnlyList<StoredEvent> events, AssetStates states, CancellationToken ct)
    {
        var prepared = new List<PreparedEvent>(events.Count);
        foreach (var e in events)
        {
            if (!WebhookEventTypes.ByStoredName.TryGetValue(e.Type, out var type)) { prepared.Add(new PreparedEvent(e, null, null, null)); continue; }
            var (before, after) = await states.Around(e, ct);
            prepared.Add(new PreparedEvent(e, type, before, after));
        }
        return prepared;
    }
}
