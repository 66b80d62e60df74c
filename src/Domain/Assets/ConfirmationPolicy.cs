using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Assets;

/// <summary>
/// Which confirmations each kind needs before it becomes Active. The default follows the architecture;
/// a later issue makes it configurable. The requirements are copied into AssetRegistered, so changing the
/// policy never rewrites history.
/// </summary>
public sealed class ConfirmationPolicy
{
    public static readonly ConfirmationPolicy Default = new();

    public IReadOnlyList<ConfirmerRequirement> For(AssetKind kind, AssetDetails d) => kind switch
    {
        AssetKind.WarehouseReceipt => [new("warehouse", Role.Warehouse, d.Warehouse), new("trading-center", Role.TradingCenter, null)],
        AssetKind.Receivable => [new("debtor", Role.Debtor, d.Debtor), new("trading-center", Role.TradingCenter, null)],
        AssetKind.Intangible => [new("regulator", Role.Regulator, null), new("trading-center", Role.TradingCenter, null)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
