using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Integrations;
using static AssetLedger.Api.Contracts.RequestMapping;

namespace AssetLedger.Api.Contracts;

/// <summary>
/// Each inbound notice type as the command a person of the sending participant would send over the API, built from
/// the same request shapes and mapping; the asset decider then decides it as that participant's command.
/// </summary>
public static class NoticeMapping
{
    public static Result<IAssetCommand> ToCommand(string system, NoticeRequest notice, AssetId newAsset, Actor actor, DateTimeOffset now)
    {
        if (!NoticeRules.TypesBySystem[system].Contains(notice.Type, StringComparer.Ordinal)) return NoticeRules.UnknownType(system, notice.Type);
        var d = notice.Data ?? new NoticeData();
        if (notice.Type == NoticeRules.GoodsReceived && d.AssetId is null) return Received(d, newAsset, actor, now);
        if (!AssetId.TryParse(d.AssetId, out var asset))
            return NoticeRules.Unmappable($"A {notice.Type} notice names the asset in data.assetId (its id as in /api/v1/assets/{{id}}).", "data.assetId");
        return notice.Type switch
        {
            NoticeRules.GoodsReceived => Amended(asset, d, actor, now),
            NoticeRules.GoodsReleased => Released(asset, d, actor, now),
            NoticeRules.TradeMatched => Participant(d.BuyerId, "data.buyerId") is { Error: null } buyer
                ? new ReturnAsset(asset, buyer.Value, actor, now)
                : NoticeRules.Unmappable("A trade-matched notice names the buyer, the asset's new owner, in data.buyerId.", "data.buyerId"),
            NoticeRules.LoanRepaid => new ReturnAsset(asset, null, actor, now),
            _ => string.IsNullOrWhiteSpace(d.OrderId)
                ? NoticeRules.Unmappable("A court-order notice names the order in data.orderId; the freeze takes its number.", "data.orderId")
                : new FreezeAsset(asset, d.OrderId, FreezeAuthority.Judicial, d.Reason ?? $"Court order {d.OrderId}", actor, now),
        };
    }

    /// <summary>Goods received without a receipt named: the warehouse files a new receipt, for the owner the notice names.</summary>
    static Result<IAssetCommand> Received(NoticeData d, AssetId asset, Actor actor, DateTimeOffset now)
    {
        var owner = Participant(d.OwnerId, "data.ownerId");
        if (owner.Error is not null) return NoticeRules.Unmappable("A goods-received notice for a new receipt names its owner in data.ownerId.", "data.ownerId");
        var details = Details(new RegisterAssetRequest(nameof(AssetKind.WarehouseReceipt), d.OwnerId, actor.Id.Value, d.ReceiptNumber, d.Commodity,
            d.Quantity, d.Unit), AssetKind.WarehouseReceipt);
        if (details.Error is { } invalid) return invalid;
        return new RegisterAsset(asset, AssetKind.WarehouseReceipt, owner.Value, details.Value!, actor, now);
    }

    /// <summary>Goods received for a receipt named: its quantity, commodity or number as the warehouse counts them now.</summary>
    static Result<IAssetCommand> Amended(AssetId asset, NoticeData d, Actor actor, DateTimeOffset now)
    {
        var changes = Changes(new AmendmentRequest(Commodity: d.Commodity, Quantity: d.Quantity, Unit: d.Unit, ReceiptNumber: d.ReceiptNumber));
        return changes.Error is { } invalid ? invalid : new AmendAsset(asset, changes.Value!, actor, now);
    }

    /// <summary>Goods released: part of them against a delivery order, or (complete) the rest, which ends the receipt.</summary>
    static Result<IAssetCommand> Released(AssetId asset, NoticeData d, Actor actor, DateTimeOffset now) => (d.Quantity, d.Complete) switch
    {
        (not null, not true) => new ReleaseGoods(asset, d.DeliveryOrder ?? "", d.Quantity, d.Unit, actor, now),
        (null, true) => new CancelAsset(asset, d.Reason ?? $"All goods released{(d.DeliveryOrder is { } order ? $" against delivery order {order}" : "")}", actor, now),
        _ => NoticeRules.Unmappable("A goods-released notice gives either data.quantity (part of the goods, against data.deliveryOrder) or data.complete: true " +
            "(every remaining good left; the receipt is cancelled), not both and not neither.", "data.quantity"),
    };
}
