using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Ports;

/// <summary>Assets that may have outlived their confirmation window: the read model's candidates for the expiry sweep.</summary>
public interface IPendingAssets
{
    /// <summary>Pending assets of each kind that became Pending at or before that kind's cutoff, oldest first.</summary>
    Task<IReadOnlyList<AssetId>> PendingAtOrBefore(IReadOnlyDictionary<AssetKind, DateTimeOffset> cutoffs, int limit, CancellationToken ct);
}
