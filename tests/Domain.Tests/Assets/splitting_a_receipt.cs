using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using static AssetLedger.Domain.Tests.Support.Actors;
using static AssetLedger.Domain.Tests.Support.AssetSpec;

namespace AssetLedger.Domain.Tests.Assets;

/// <summary>
/// Split (拆分): a warehouse receipt becomes new receipts whose quantities sum exactly to its own; the receipt ends Split
/// and each part starts Active with its own key, the parent's confirmations and any custody. (The default receipt holds 1200.5 t.)
/// </summary>
public class splitting_a_receipt
{
    static readonly AssetId PartA = new(Guid.Parse("0195a0c4-7b1e-7c3a-9d2f-00000000000a"));
    static readonly AssetId PartB = new(Guid.Parse("0195a0c4-7b1e-7c3a-9d2f-00000000000b"));

    static SplitAsset SplitInto(string a, string b, Actor? by = null, string? numberA = null) =>
        new(Asset, [new(PartA, a, numberA), new(PartB, b)], by ?? Owner, Now);

    [Fact]
    public void the_owner_splits_an_unlocked_receipt_into_parts_that_sum_exactly()
    {
        var decision = When(Given(Active()), SplitInto("1000.25", "200.250"));

        var parts = new SplitPart[]
        {
            new(PartA, "receipt:wh-1:WR-2026-0001-1", "WR-2026-0001-1", new Quantity("1000.25", "t")),
            new(PartB, "receipt:wh-1:WR-2026-0001-2", "WR-2026-0001-2", new Quantity("200.25", "t")),
        };
        var confirmations = new CarriedConfirmation[] { new("trading-center", TradingCenter.Id), new("warehouse", Warehouse.Id) };
        var parent = Given(Active());
        AssetSplitOff Off(SplitPart p) => new(p.Asset, Asset, parent.Version + 1, AssetKind.WarehouseReceipt, Owner.Id,
            ReceiptDetails() with { ReceiptNumber = p.ReceiptNumber, Quantity = p.Quantity }, p.Key, parent.RequiredConfirmers, confirmations, null, Owner.Id, Owner.Id, Now);
        ThenEvents(decision, new AssetSplit(Asset, new Quantity("1200.5", "t"), parts, Owner.Id, Now), Off(parts[0]), Off(parts[1]));
    }

    [Fact]
    public void the_parent_ends_split_and_closed_and_each_part_starts_active_with_a_link_back()
    {
        var decision = When(Given(Active()), SplitInto("1000", "200.5", numberA: "WR-A"));
        var parent = Given([.. Active(), decision.Events[0]]);
        var part = AssetState.From([decision.Events[1]]);

        Assert.Equal((AssetStatus.Split, true), (parent.Status, parent.IsClosed));
        Assert.Equal([PartA, PartB], parent.SplitInto.ToArray());
        ThenError(When(parent, new ReleaseGoods(Asset, "DO-1", "1", null, Warehouse, Now)), "asset.closed");
        Assert.Equal((AssetStatus.Active, (AssetId?)Asset, "WR-A", "1000", "receipt:wh-1:WR-A"),
            (part.Status, part.Parent, part.Details.ReceiptNumber, part.Details.Quantity!.Value, part.Key));
        Assert.Equal(2, part.Confirmations.Count);
        // A part lives on: its warehouse releases from it.
        ThenEvents(When(part, new ReleaseGoods(PartA, "DO-1", "400", null, Warehouse, Now)),
            new AssetGoodsReleased(PartA, "DO-1", new Quantity("400", "t"), new Quantity("600", "t"), Warehouse.Id, null, Now));
    }

    [Theory]
    [InlineData("1000", "200.4999999999")]
    [InlineData("1000", "200.51")]
    [InlineData("1200", "0.5000000001")]
    public void parts_that_do_not_sum_exactly_are_refused(string a, string b)
    {
        ThenError(When(Given(Active()), SplitInto(a, b)), "asset.split_not_exact", "parts");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1e3")]
    public void each_part_is_a_positive_decimal(string a)
    {
        ThenError(When(Given(Active()), SplitInto(a, "1200.5")), "asset.invalid", "parts[0].quantity");
    }

    [Fact]
    public void a_split_needs_two_parts_with_ids_and_numbers_of_their_own()
    {
        ThenError(When(Given(Active()), new SplitAsset(Asset, [new(PartA, "1200.5")], Owner, Now)), "asset.invalid", "parts");
        ThenError(When(Given(Active()), new SplitAsset(Asset, [new(PartA, "1"), new(PartA, "1199.5")], Owner, Now)), "asset.invalid", "parts[1]");
        ThenError(When(Given(Active()), new SplitAsset(Asset, [new(Asset, "1"), new(PartA, "1199.5")], Owner, Now)), "asset.invalid", "parts[0]");
        ThenError(When(Given(Active()), SplitInto("1", "1199.5", numberA: "WR-2026-0001")), "asset.invalid", "parts[0].receiptNumber");
        ThenError(When(Given(Active()), SplitInto("1", "1199.5", numberA: "WR-2026-0001-2")), "asset.invalid", "parts[1].receiptNumber");
    }

    [Fact]
    public void only_a_warehouse_receipt_splits()
    {
        ThenError(When(Given(Active(AssetKind.Receivable)), SplitInto("1", "2")), "asset.not_splittable");
    }

    [Fact]
    public void only_the_owner_splits_an_unlocked_receipt()
    {
        ThenError(When(Given(Active()), SplitInto("1000", "200.5", by: Warehouse)), "asset.not_owner");
        ThenError(When(Given(Active()), SplitInto("1000", "200.5", by: Bank)), "asset.not_owner");
        ThenError(When(Given(Registered()), SplitInto("1000", "200.5")), "asset.wrong_status");
    }

    [Fact]
    public void a_frozen_or_offered_receipt_or_one_awaiting_a_release_answer_is_not_split()
    {
        ThenError(When(Given([.. Active(), Frozen()]), SplitInto("1000", "200.5")), "asset.locked");
        ThenError(When(Given([.. Active(), Offered()]), SplitInto("1000", "200.5")), "asset.locked");
        ThenError(When(Given([.. Active(), TransferredOut(), Frozen()]), SplitInto("1000", "200.5", by: Bank)), "asset.locked");
        var asked = Given([.. Active(), TransferredOut(), new AssetReleaseRequested(Asset, "DO-1", new Quantity("1", "t"), Warehouse.Id, Now)]);
        ThenError(When(asked, SplitInto("1000", "200.5", by: Bank)), "asset.release_pending");
    }

    [Fact]
    public void while_out_only_the_venue_splits_and_every_part_stays_out_at_it()
    {
        var out_ = Given([.. Active(), TransferredOut()]);
        ThenError(When(out_, SplitInto("1000", "200.5")), "asset.not_permitted");

        var decision = When(out_, SplitInto("1000", "200.5", by: Bank));

        Assert.Null(decision.Error);
        var parts = decision.Events.OfType<AssetSplitOff>().Select(e => AssetState.From([e])).ToList();
        Assert.All(parts, p => Assert.Equal((Bank.Id, VenuePurpose.Financing, Owner.Id), (p.Custody!.Venue, p.Custody.Purpose, p.Owner)));
        // The venue returns each part as it would have returned the whole.
        ThenEvents(When(parts[0], new ReturnAsset(PartA, null, Bank, Now)), new AssetReturned(PartA, Bank.Id, Owner.Id, Owner.Id, Now));
    }

    [Fact]
    public void a_recorded_split_and_its_parts_are_judged_by_the_rules()
    {
        var decision = When(Given(Active()), SplitInto("1000", "200.5"));
        var split = (AssetSplit)decision.Events[0];
        var off = (AssetSplitOff)decision.Events[1];

        Assert.Null(Admissibility.Check(Given(Active()), split, Owner, _ => null));
        Assert.Equal("asset.not_owner", Admissibility.Check(Given(Active()), split, Buyer, _ => null)?.Code);
        Assert.Null(Admissibility.Check(AssetState.Initial, off, Owner, _ => null));
        Assert.Equal("event.inadmissible", Admissibility.Check(Given(Active()), off with { Asset = Asset }, Owner, _ => null)?.Code);
        Assert.True(Admissibility.SameSplitOff(Admissibility.SplitOffs(Given(Active()), split, Owner)[0], off));
        Assert.False(Admissibility.SameSplitOff(Admissibility.SplitOffs(Given(Active()), split, Owner)[0], off with { Owner = Buyer.Id }));
    }
}
