using AssetLedger.Application.Commands;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Assets;

/// <summary>Reads an asset's stream into state.</summary>
public static class AssetStreams
{
    public static Task<AssetState> Load(IEventStore store, AssetId id, CancellationToken ct) =>
        EventStreams.Fold<AssetState, IAssetEvent>(store, id.StreamId, AssetState.Initial, AssetState.Evolve, s => s.Version, ct);

    /// <summary>
    /// The asset as of the request, from this instance's view (issue 21) as of the round the request's session check already
    /// waited for (else a round begun now): no read of its own when the view keeps the stream. A stream too long for the view
    /// is folded from the store as <see cref="Load(IEventStore, AssetId, CancellationToken)"/> does.
    /// </summary>
    public static async Task<AssetState> Load(IEventStore store, CallerStreamView? view, AssetId id, CancellationToken ct)
    {
        if (view is null) return await Load(store, id, ct);
        var stream = id.StreamId;
        var read = await view.Read([stream], ParticipantDirectory.Synced, ct);
        ParticipantDirectory.MarkSynced();
        return read[stream] is { State: AssetState state } ? state : await Load(store, id, ct);
    }
}
