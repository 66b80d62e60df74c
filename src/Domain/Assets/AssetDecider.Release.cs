using AssetLedger.Domain.Common;
using Decision = AssetLedger.Domain.Common.Decision<AssetLedger.Domain.Assets.IAssetEvent>;

namespace AssetLedger.Domain.Assets;

/// <summary>
/// Part delivery (部分提货): the custodian warehouse releases part of a receipt's goods against a delivery order and the
/// quantity goes down, exactly (decimal strings, no rounding); a release to zero ends the receipt. While the receipt is
/// out at a venue the goods are that venue's security, so the warehouse only asks and the venue consents or refuses,
/// or the venue releases in one step itself.
/// </summary>
public static partial class AssetDecider
{
    static Decision Release(AssetState s, ReleaseGoods c)
    {
        if (s.Kind != AssetKind.WarehouseReceipt) return AssetErrors.NotReceipt();
        var warehouse = s.Details.Warehouse;
        var venue = s.Custody?.Venue;
        if (c.Actor.Id != warehouse && c.Actor.Id != venue)
            return AssetErrors.NotPermitted(c.Actor.Id, $"goods are released by the custodian warehouse ({warehouse}) or, while the receipt is out, by the venue holding it.");
        if (s.Status != AssetStatus.Active) return AssetErrors.WrongStatus(s.Status, "release goods", "Active");
        if (s.IsFrozen || s.PendingOffer is not null) return AssetErrors.Locked(s with { Custody = null }, "release goods");
        if (s.PendingRelease is { } pending) return AssetErrors.ReleasePending(pending, "request another release");
        if (string.IsNullOrWhiteSpace(c.DeliveryOrder) || c.DeliveryOrder.Length > AssetLimits.Text)
            return AssetErrors.Invalid("deliveryOrder", $"deliveryOrder is required: the delivery order's number (1–{AssetLimits.Text} characters).");
        if (s.DeliveryOrders.Contains(c.DeliveryOrder)) return AssetErrors.DeliveryOrderUsed(c.DeliveryOrder);
        var held = s.Details.Quantity!;
        if (c.Unit is not null && c.Unit != held.Unit)
            return AssetErrors.Invalid("unit", $"The receipt is in '{held.Unit}'; give the quantity in that unit (or leave unit out).");
        if (!Decimals.TryParsePositive(c.Quantity, out var asked))
            return AssetErrors.Invalid("quantity", $"'{c.Quantity}' is not a positive decimal string such as \"300.5\" (digits, optional fraction, no sign or exponent).");
        if (!Decimals.TryParse(held.Value, out var have) || asked > have) return AssetErrors.ReleaseExceeds(held, c.Quantity);
        var released = new Quantity(Decimals.Canonical(asked), held.Unit);
        if (venue is not null && c.Actor.Id != venue) return Decision.Of(new AssetReleaseRequested(c.Asset, c.DeliveryOrder, released, c.Actor.Id, c.At));
        return Decision.Of(new AssetGoodsReleased(c.Asset, c.DeliveryOrder, released, new Quantity(Decimals.Canonical(have - asked), held.Unit), c.Actor.Id, venue, c.At));
    }

    static Decision Answer(AssetState s, AnswerRelease c)
    {
        if (s.PendingRelease is not { } request || s.Custody is not { } custody) return AssetErrors.NoPendingRelease();
        if (c.Actor.Id != custody.Venue)
            return AssetErrors.NotPermitted(c.Actor.Id, $"only the venue holding the receipt ({custody.Venue}) answers a release request.");
        if (c.Comment is { Length: > AssetLimits.LongText }) return AssetErrors.Invalid("comment", $"comment is at most {AssetLimits.LongText} characters.");
        if (!c.Consent) return Decision.Of(new AssetReleaseDeclined(c.Asset, request.DeliveryOrder, c.Comment, c.Actor.Id, c.At));
        if (s.IsFrozen) return AssetErrors.Locked(s with { Custody = null, PendingOffer = null }, "release goods");
        var held = s.Details.Quantity!;
        Decimals.TryParse(held.Value, out var have);
        Decimals.TryParse(request.Quantity.Value, out var asked);
        if (asked > have) return AssetErrors.ReleaseExceeds(held, request.Quantity.Value);
        return Decision.Of(new AssetGoodsReleased(c.Asset, request.DeliveryOrder, request.Quantity, new Quantity(Decimals.Canonical(have - asked), held.Unit),
            request.By, custody.Venue, c.At));
    }
}
