using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Application.Commands;

/// <summary>Reads a stream from its first event into state, a page at a time.</summary>
public static class EventStreams
{
    const int Page = 1000;

    public static async Task<TState> Fold<TState, TEvent>(IEventStore store, string stream, TState initial, Func<TState, TEvent, TState> evolve,
        Func<TState, long> version, CancellationToken ct) =>
        (await FoldToHead(store, stream, initial, evolve, version, ct)).State;

    /// <summary>The folded state and the hash of the stream's last event (null for an empty stream).</summary>
    public static async Task<(TState State, string? Head)> FoldToHead<TState, TEvent>(IEventStore store, string stream, TState initial,
        Func<TState, TEvent, TState> evolve, Func<TState, long> version, CancellationToken ct)
    {
        var state = initial;
        string? head = null;
        while (true)
        {
            var events = await store.ReadStream(stream, version(state) + 1, Page, ct);
            foreach (var e in events)
            {
                state = evolve(state, (TEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data));
                head = e.Hash;
            }
            if (events.Count < Page) return (state, head);
        }
    }
}
