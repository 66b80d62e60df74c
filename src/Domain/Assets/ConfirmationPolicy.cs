using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Assets;

/// <summary>
/// Which confirmations each kind needs before it becomes Active. The default follows the architecture;
/// a later issue makes it configurable. The requirements are copied into AssetRegistered, so changing the
/// policy never rewrites history.
/// </summary>
/// <param name="windows">How long an asset of each kind may wait for its confirmations before it expires; 7 days where not given.</param>
public sealed class ConfirmationPolicy(IReadOnlyDictionary<AssetKind, TimeSpan>? windows = null)
{
    public static readonly ConfirmationPolicy Default = new();

    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);

    /// <summary>How long a Pending asset of this kind waits for its confirmations (from registration or a material amendment).</summary>
    public TimeSpan Window(AssetKind kind) => windows?.GetValueOrDefault(kind) is { } w && w > TimeSpan.Zero ? w : DefaultWindow;

    /// <summary>The shortest window of any kind: an asset pending for less than this cannot have expired.</summary>
    public TimeSpan ShortestWindow => Enum.GetValues<AssetKind>().Min(Window);

    public IReadOnlyList<ConfirmerRequirement> For(AssetKind kind, AssetDetails d) => kind switch
    {
        AssetKind.WarehouseReceipt => [new("warehouse", Role.Warehouse, d.Warehouse), new("trading-center", Role.TradingCenter, null)],
        AssetKind.Receivable => [new("debtor", Role.Debtor, d.Debtor), new("trading-center", Role.TradingCenter, null)],
        AssetKind.Intangible => [new("regulator", Role.Regulator, null), new("trading-center", Role.TradingCenter, null)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
