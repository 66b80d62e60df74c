using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Application.Assets;

/// <summary>Reads an asset's stream into state.</summary>
public static class AssetStreams
{
    public static Task<AssetState> Load(IEventStore store, AssetId id, CancellationToken ct) =>
        EventStreams.Fold<AssetState, IAssetEvent>(store, id.StreamId, AssetState.Initial, AssetState.Evolve, s => s.Version, ct);
}
