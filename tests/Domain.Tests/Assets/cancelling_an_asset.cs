namespace AssetLedger.Domain.Tests.Assets;

/// <summary>The owner cancels; a warehouse receipt is cancelled only by its custodian warehouse, when it releases the goods.</summary>
public class cancelling_an_asset
{
    [Fact]
    public void custodian_warehouse_cancels_a_receipt()
    {
        ThenEvents(When(Given(Active()), Cancel(by: Warehouse, "goods released")), Cancelled(by: Warehouse, "goods released"));
    }

    [Fact]
    public void a_cancelled_asset_is_closed()
    {
        var state = Given([.. Active(), Cancelled()]);

        Assert.Equal((AssetStatus.Cancelled, true), (state.Status, state.IsClosed));
    }

    [Fact]
    public void the_owner_of_a_receipt_cannot_cancel_it()
    {
        ThenError(When(Given(Active()), Cancel(by: Owner)), "asset.not_permitted");
    }

    [Fact]
    public void another_warehouse_cannot_cancel_the_receipt()
    {
        ThenError(When(Given(Active()), Cancel(by: OtherWarehouse)), "asset.not_permitted");
    }

    [Theory]
    [InlineData(AssetKind.Receivable)]
    [InlineData(AssetKind.Intangible)]
    public void owner_cancels_a_receivable_or_an_intangible(AssetKind kind)
    {
        ThenEvents(When(Given(Active(kind)), Cancel(by: Owner, "repaid")), Cancelled(by: Owner, "repaid"));
    }

    [Fact]
    public void the_debtor_cannot_cancel_a_receivable()
    {
        ThenError(When(Given(Active(AssetKind.Receivable)), Cancel(by: Debtor)), "asset.not_owner");
    }

    [Fact]
    public void a_pending_receipt_cannot_be_cancelled()
    {
        ThenError(When(Given(Registered()), Cancel()), "asset.wrong_status");
    }

    [Fact]
    public void an_asset_with_a_pending_offer_cannot_be_cancelled()
    {
        ThenError(When(Given([.. Active(), Offered()]), Cancel()), "asset.locked");
    }

    [Fact]
    public void a_pledged_asset_cannot_be_cancelled()
    {
        ThenError(When(Given([.. Active(), TransferredOut(Bank)]), Cancel()), "asset.locked");
    }

    [Fact]
    public void frozen_asset_cannot_be_cancelled()
    {
        ThenError(When(Given([.. Active(), Frozen()]), Cancel()), "asset.locked");
    }

    [Fact]
    public void a_cancellation_needs_a_reason()
    {
        ThenError(When(Given(Active()), Cancel(reason: "")), "asset.invalid", "reason");
    }

    [Fact]
    public void a_cancelled_asset_cannot_be_cancelled_again()
    {
        ThenError(When(Given([.. Active(), Cancelled()]), Cancel()), "asset.closed");
    }

    [Theory]
    [MemberData(nameof(EveryCommand.Names), MemberType = typeof(EveryCommand))]
    public void a_cancelled_asset_accepts_no_command(string command)
    {
        var state = Given([.. Active(), Cancelled()]);

        ThenError(When(state, EveryCommand.ByName(command)), command == "register" ? "asset.already_exists" : "asset.closed");
    }
}
