namespace AssetLedger.Domain.Tests.Assets;

/// <summary>
/// Part delivery (部分提货): the custodian warehouse releases goods against a delivery order and the receipt's quantity
/// goes down exactly; at zero the receipt ends. While the receipt is out at a venue, the warehouse only asks and the
/// venue consents or refuses, or the venue releases itself. (The default receipt holds 1200.5 t.)
/// </summary>
public class releasing_part_of_the_goods
{
    static AssetGoodsReleased GoodsReleased(string order, string released, string remaining, Actor? by = null, Actor? consentedBy = null) =>
        new(Asset, order, new Quantity(released, "t"), new Quantity(remaining, "t"), (by ?? Warehouse).Id, consentedBy?.Id, Now);

    static ReleaseGoods Release(string order, string quantity, Actor? by = null, string? unit = null) => new(Asset, order, quantity, unit, by ?? Warehouse, Now);

    static AssetReleaseRequested ReleaseRequested(string order, string quantity) => new(Asset, order, new Quantity(quantity, "t"), Warehouse.Id, Now);

    [Fact]
    public void the_custodian_warehouse_releases_part_and_the_quantity_goes_down_exactly()
    {
        ThenEvents(When(Given(Active()), Release("DO-1", "200.25")), GoodsReleased("DO-1", "200.25", "1000.25"));
        var state = Given([.. Active(), GoodsReleased("DO-1", "200.25", "1000.25")]);
        Assert.Equal((AssetStatus.Active, "1000.25", "t"), (state.Status, state.Details.Quantity!.Value, state.Details.Quantity.Unit));
    }

    [Fact]
    public void decimals_are_kept_without_rounding()
    {
        ThenEvents(When(Given(Active()), Release("DO-1", "0.0000000001")), GoodsReleased("DO-1", "0.0000000001", "1200.4999999999"));
    }

    [Fact]
    public void a_release_to_zero_ends_the_receipt()
    {
        ThenEvents(When(Given(Active()), Release("DO-1", "1200.500")), GoodsReleased("DO-1", "1200.5", "0"));
        var state = Given([.. Active(), GoodsReleased("DO-1", "1200.5", "0")]);
        Assert.Equal((AssetStatus.Released, true), (state.Status, state.IsClosed));
        ThenError(When(state, Release("DO-2", "1")), "asset.closed");
    }

    [Fact]
    public void more_than_the_receipt_holds_is_refused()
    {
        ThenError(When(Given(Active()), Release("DO-1", "1200.51")), "asset.release_exceeds_quantity", "quantity");
    }

    [Fact]
    public void a_delivery_order_releases_goods_once()
    {
        ThenError(When(Given([.. Active(), GoodsReleased("DO-1", "1", "1199.5")]), Release("DO-1", "1")), "asset.delivery_order_used", "deliveryOrder");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("")]
    public void the_quantity_is_a_positive_decimal_string(string quantity)
    {
        ThenError(When(Given(Active()), Release("DO-1", quantity)), "asset.invalid", "quantity");
    }

    [Fact]
    public void another_unit_is_refused()
    {
        ThenError(When(Given(Active()), Release("DO-1", "1", unit: "kg")), "asset.invalid", "unit");
    }

    [Fact]
    public void only_the_custodian_warehouse_or_the_venue_releases()
    {
        ThenError(When(Given(Active()), Release("DO-1", "1", by: Owner)), "asset.not_permitted");
        ThenError(When(Given(Active()), Release("DO-1", "1", by: OtherWarehouse)), "asset.not_permitted");
        ThenError(When(Given(Active()), Release("DO-1", "1", by: Bank)), "asset.not_permitted");
    }

    [Fact]
    public void only_a_receipt_has_goods_to_release()
    {
        ThenError(When(Given(Active(AssetKind.Receivable)), Release("DO-1", "1")), "asset.not_a_receipt");
    }

    [Fact]
    public void a_frozen_or_offered_receipt_releases_nothing()
    {
        ThenError(When(Given([.. Active(), Frozen()]), Release("DO-1", "1")), "asset.locked");
        ThenError(When(Given([.. Active(), Offered()]), Release("DO-1", "1")), "asset.locked");
    }

    [Fact]
    public void while_out_the_warehouse_only_asks_and_the_venue_consents()
    {
        var out_ = Given([.. Active(), TransferredOut()]);
        ThenEvents(When(out_, Release("DO-1", "200")), ReleaseRequested("DO-1", "200"));

        var asked = Given([.. Active(), TransferredOut(), ReleaseRequested("DO-1", "200")]);
        ThenEvents(When(asked, new AnswerRelease(Asset, true, null, Bank, Now)), GoodsReleased("DO-1", "200", "1000.5", consentedBy: Bank));
        ThenEvents(When(asked, new AnswerRelease(Asset, false, "loan outstanding", Bank, Now)), new AssetReleaseDeclined(Asset, "DO-1", "loan outstanding", Bank.Id, Now));
    }

    [Fact]
    public void while_a_release_awaits_its_answer_nothing_else_is_released_and_the_venue_cannot_return()
    {
        var asked = Given([.. Active(), TransferredOut(), ReleaseRequested("DO-1", "200")]);
        ThenError(When(asked, Release("DO-2", "1")), "asset.release_pending");
        ThenError(When(asked, Return()), "asset.release_pending");
    }

    [Fact]
    public void only_the_venue_answers_and_a_freeze_stops_the_consent()
    {
        var asked = Given([.. Active(), TransferredOut(), ReleaseRequested("DO-1", "200")]);
        ThenError(When(asked, new AnswerRelease(Asset, true, null, Warehouse, Now)), "asset.not_permitted");
        ThenError(When(asked, new AnswerRelease(Asset, true, null, Owner, Now)), "asset.not_permitted");
        ThenError(When(Given([.. Active(), TransferredOut(), ReleaseRequested("DO-1", "200"), Frozen()]), new AnswerRelease(Asset, true, null, Bank, Now)), "asset.locked");
        ThenError(When(Given([.. Active(), TransferredOut()]), new AnswerRelease(Asset, true, null, Bank, Now)), "asset.no_pending_release");
    }

    [Fact]
    public void the_venue_releases_in_one_step_and_a_release_to_zero_ends_its_custody()
    {
        var out_ = Given([.. Active(), TransferredOut()]);
        ThenEvents(When(out_, Release("DO-1", "1200.5", by: Bank)), GoodsReleased("DO-1", "1200.5", "0", by: Bank, consentedBy: Bank));
        var ended = Given([.. Active(), TransferredOut(), GoodsReleased("DO-1", "1200.5", "0", by: Bank, consentedBy: Bank)]);
        Assert.Equal((AssetStatus.Released, false), (ended.Status, ended.IsOut));
    }

    [Fact]
    public void a_declined_request_frees_the_receipt_for_the_next_request()
    {
        var declined = Given([.. Active(), TransferredOut(), ReleaseRequested("DO-1", "200"), new AssetReleaseDeclined(Asset, "DO-1", null, Bank.Id, Now)]);
        Assert.Null(declined.PendingRelease);
        ThenEvents(When(declined, Release("DO-1", "100")), ReleaseRequested("DO-1", "100"));
    }
}
