using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Application.Assets;

/// <summary>Reads an asset's stream into state, and turns decided events into what the store appends.</summary>
public static class AssetStreams
{
    const int Page = 1000;

    public static async Task<AssetState> Load(IEventStore store, AssetId id, CancellationToken ct)
    {
        var state = AssetState.Initial;
        while (true)
        {
            var events = await store.ReadStream(id.StreamId, state.Version + 1, Page, ct);
            foreach (var e in events) state = AssetState.Evolve(state, (IAssetEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data));
            if (events.Count < Page) return state;
        }
    }

    public static IReadOnlyList<EventToAppend> ToAppend(IEnumerable<object> events, Actor actor, CommandContext context)
    {
        var correlation = context.CorrelationId ?? Guid.NewGuid();
        var metadata = new EventMetadata(actor.Id.Value, context.User, correlation, context.CausationId, context.IdempotencyKey, context.Signature).ToJson();
        return events.Select(e =>
        {
            var (type, schema, json) = EventSerializer.Instance.Serialize(e);
            return new EventToAppend(Guid.CreateVersion7(), type, schema, json, metadata);
        }).ToList();
    }
}
