using AssetLedger.Domain.Common;
using Decision = AssetLedger.Domain.Common.Decision<AssetLedger.Domain.Assets.IAssetEvent>;

namespace AssetLedger.Domain.Assets;

/// <summary>
/// Split (拆分) of a warehouse receipt into new receipts for parts of its goods: the parts' quantities sum exactly to the
/// receipt's (decimal strings, no rounding, the same unit); the receipt ends Split and each part starts Active with its
/// own natural key, the parent's confirmations and, while the receipt is out at a venue, the same custody.
/// Who: the owner while the receipt is unlocked; while it is out, only the venue holding it (the goods are its security,
/// and its one act is both the consent and the split). A frozen receipt, one under offer or awaiting a release answer is not split.
/// </summary>
public static partial class AssetDecider
{
    static Decision Split(AssetState s, SplitAsset c)
    {
        if (s.Kind != AssetKind.WarehouseReceipt) return AssetErrors.NotSplittable();
        if (s.Custody is { } custody)
        {
            if (c.Actor.Id != custody.Venue)
                return AssetErrors.NotPermitted(c.Actor.Id, $"the receipt is out at {custody.Venue}; while it is out only that venue splits it.");
        }
        else if (c.Actor.Id != s.Owner) return AssetErrors.NotOwner(c.Actor.Id, "split it");
        if (s.Status != AssetStatus.Active) return AssetErrors.WrongStatus(s.Status, "split", "Active");
        if (s.IsFrozen || s.PendingOffer is not null) return AssetErrors.Locked(s with { Custody = null }, "split");
        if (s.PendingRelease is { } release) return AssetErrors.ReleasePending(release, "split the receipt");
        if (c.Parts is not { Count: >= 2 and <= AssetLimits.SplitParts })
            return AssetErrors.Invalid("parts", $"A split needs 2–{AssetLimits.SplitParts} parts.");

        var whole = s.Details.Quantity!;
        var parts = new List<SplitPart>(c.Parts.Count);
        var sum = 0m;
        for (var i = 0; i < c.Parts.Count; i++)
        {
            var p = c.Parts[i];
            if (p.Asset == s.Id || p.Asset.Value == Guid.Empty || parts.Any(x => x.Asset == p.Asset))
                return AssetErrors.Invalid($"parts[{i}]", "Each part is a new asset with an id of its own.");
            if (!Decimals.TryParsePositive(p.Quantity, out var q))
                return AssetErrors.Invalid($"parts[{i}].quantity", $"'{p.Quantity}' is not a positive decimal string such as \"300.5\" (in {whole.Unit}).");
            var number = p.ReceiptNumber ?? $"{s.Details.ReceiptNumber}-{i + 1}";
            if (string.IsNullOrWhiteSpace(number) || number.Length > AssetLimits.Text)
                return AssetErrors.Invalid($"parts[{i}].receiptNumber", $"A part's receipt number is 1–{AssetLimits.Text} characters.");
            if (number == s.Details.ReceiptNumber || parts.Any(x => x.ReceiptNumber == number))
                return AssetErrors.Invalid($"parts[{i}].receiptNumber", $"Receipt number '{number}' is not new: each part has a number of its own.");
            var details = PartDetails(s, number, new Quantity(Decimals.Canonical(q), whole.Unit));
            parts.Add(new SplitPart(p.Asset, AssetDetailsRules.KeyOf(s.Kind, details), number, details.Quantity!));
            sum += q;
        }
        if (!Decimals.TryParse(whole.Value, out var have) || sum != have) return AssetErrors.SplitNotExact(whole, Decimals.Canonical(sum));

        var carried = s.Confirmations.Select(x => new CarriedConfirmation(x.Key, x.Value)).ToList();
        IAssetEvent[] events =
        [
            new AssetSplit(s.Id, whole, parts, c.Actor.Id, c.At),
            .. parts.Select(p => new AssetSplitOff(p.Asset, s.Id, s.Version + 1, s.Kind, s.Owner, PartDetails(s, p.ReceiptNumber, p.Quantity), p.Key,
                [.. s.RequiredConfirmers], carried, s.Custody, s.Registrant, c.Actor.Id, c.At)),
        ];
        return Decision.Of(events);
    }

    static AssetDetails PartDetails(AssetState parent, string receiptNumber, Quantity quantity) =>
        parent.Details with { ReceiptNumber = receiptNumber, Quantity = quantity };
}
