using System.Collections.Concurrent;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Application.Devices;

/// <summary>
/// Devices' states as this instance last folded them. A device stream grows by one event per reading, so folding it
/// from the first event on every batch would cost more with each reading; a stream only ever grows, so the cached state
/// plus the events after its version is exactly the state now, whatever other instances appended meanwhile.
/// </summary>
public sealed class DeviceStates(IEventStore store)
{
    const int Page = 1000;
    readonly ConcurrentDictionary<string, DeviceState> _known = new(StringComparer.Ordinal);

    public async Task<DeviceState> Load(string device, CancellationToken ct)
    {
        var state = _known.TryGetValue(device, out var cached) ? cached : DeviceState.Initial;
        while (true)
        {
            var events = await store.ReadStream(DeviceDecider.StreamOf(device), state.Version + 1, Page, ct);
            foreach (var e in events) state = DeviceState.Evolve(state, (IDeviceEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data));
            if (events.Count < Page) break;
        }
        if (state.Exists) _known.AddOrUpdate(device, state, (_, old) => old.Version >= state.Version ? old : state);
        return state;
    }

    /// <summary>
    /// The state this instance last folded or appended, without reading the stream: possibly behind it, so only for a
    /// decision whose append names its version (the store refuses it if the stream moved on). Null when unknown here.
    /// </summary>
    public DeviceState? Cached(string device) => _known.TryGetValue(device, out var state) ? state : null;

    /// <summary>Keeps a state this instance has just appended to (the append's answer is as final as a read).</summary>
    public void Remember(DeviceState state)
    {
        if (state.Exists) _known.AddOrUpdate(state.Id, state, (_, old) => old.Version >= state.Version ? old : state);
    }
}
