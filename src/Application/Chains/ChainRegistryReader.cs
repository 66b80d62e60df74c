using AssetLedger.Application.Ports;
using AssetLedger.Domain.Chains;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Application.Chains;

/// <summary>
/// The chain registry folded straight from its stream, never from a projection, so a change is visible to the next
/// read on every instance. Events never change, so the state folded so far is kept and each read only asks the
/// store for the events after it: usually one indexed query that returns nothing.
/// </summary>
public sealed class ChainRegistryReader(IEventStore store)
{
    const int Page = 1000;
    readonly SemaphoreSlim _gate = new(1, 1);
    ChainRegistryState _state = ChainRegistryState.Initial;

    public async Task<ChainRegistryState> Current(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            while (true)
            {
                var events = await store.ReadStream(ChainDecider.StreamId, _state.Version + 1, Page, ct);
                foreach (var e in events) _state = ChainRegistryState.Evolve(_state, (IChainEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data));
                if (events.Count < Page) return _state;
            }
        }
        finally { _gate.Release(); }
    }
}
