using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>An asset as an event found it and as it left it; within a run of log-ordered events each stream is read once.</summary>
sealed class AssetStates(IEventStore store)
{
    const int Page = 1000;
    readonly Dictionary<string, AssetState> _known = new(StringComparer.Ordinal);

    public async Task<(AssetState Before, AssetState After)> Around(StoredEvent e, CancellationToken ct)
    {
        if (!_known.TryGetValue(e.StreamId, out var before) || before.Version != e.Version - 1)
            before = await Fold(e.StreamId, e.Version - 1, ct);
        var after = AssetState.Evolve(before, (IAssetEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data));
        _known[e.StreamId] = after;
        return (before, after);
    }

    /// <summary>Drops what it knows once it knows more than <paramref name="most"/> assets (a later event of one folds its stream again).</summary>
    public void Forget(int most)
    {
        if (_known.Count > most) _known.Clear();
    }

    async Task<AssetState> Fold(string stream, long toVersion, CancellationToken ct)
    {
        var state = AssetState.Initial;
        while (state.Version < toVersion)
        {
            var page = await store.ReadStream(stream, state.Version + 1, (int)Math.Min(Page, toVersion - state.Version), ct);
            if (page.Count == 0) break;
            foreach (var x in page) state = AssetState.Evolve(state, (IAssetEvent)EventSerializer.Instance.Deserialize(x.Type, x.Data));
        }
        return state;
    }
}
