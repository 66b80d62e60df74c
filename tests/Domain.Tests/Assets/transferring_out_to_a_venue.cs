namespace AssetLedger.Domain.Tests.Assets;

/// <summary>Owner sends the asset to a venue: a trading center to trade, a bank for financing (pledge).</summary>
public class transferring_out_to_a_venue
{
    [Fact]
    public void owner_pledges_the_asset_to_a_bank_for_financing()
    {
        ThenEvents(When(Given(Active()), SendOut(Bank, VenuePurpose.Financing)), TransferredOut(Bank, VenuePurpose.Financing));
    }

    [Fact]
    public void owner_sends_the_asset_to_a_trading_center_to_trade()
    {
        ThenEvents(When(Given(Active()), SendOut(TradingCenter, VenuePurpose.Trade)), TransferredOut(TradingCenter, VenuePurpose.Trade));
    }

    [Fact]
    public void an_asset_out_at_a_venue_is_locked()
    {
        var state = Given([.. Active(), TransferredOut(Bank)]);

        Assert.Equal((true, new Custody(Bank.Id, VenuePurpose.Financing, Now)), (state.IsLocked, state.Custody));
    }

    [Fact]
    public void a_bank_is_not_a_venue_for_trade()
    {
        ThenError(When(Given(Active()), SendOut(Bank, VenuePurpose.Trade)), "asset.venue_not_eligible", "venueId");
    }

    [Fact]
    public void a_trading_center_is_not_a_venue_for_financing()
    {
        ThenError(When(Given(Active()), SendOut(TradingCenter, VenuePurpose.Financing)), "asset.venue_not_eligible", "venueId");
    }

    [Fact]
    public void a_warehouse_is_not_a_venue()
    {
        ThenError(When(Given(Active()), SendOut(Warehouse, VenuePurpose.Financing)), "asset.venue_not_eligible", "venueId");
    }

    [Fact]
    public void a_bank_that_owns_the_asset_cannot_pledge_it_to_itself()
    {
        var state = Given(Registered(owner: Bank), Confirmed(Warehouse, "warehouse"), Confirmed(TradingCenter, "trading-center"));

        ThenError(When(state, SendOut(Bank, VenuePurpose.Financing, by: Bank)), "asset.venue_not_eligible");
    }

    [Fact]
    public void only_the_owner_transfers_out()
    {
        ThenError(When(Given(Active()), SendOut(Bank, by: Bank)), "asset.not_owner");
    }

    [Fact]
    public void a_pending_asset_cannot_be_transferred_out()
    {
        ThenError(When(Given(Registered()), SendOut()), "asset.wrong_status");
    }

    [Fact]
    public void an_asset_with_a_pending_offer_cannot_be_transferred_out()
    {
        ThenError(When(Given([.. Active(), Offered()]), SendOut()), "asset.locked");
    }

    [Fact]
    public void an_asset_already_pledged_cannot_be_pledged_again()
    {
        ThenError(When(Given([.. Active(), TransferredOut(Bank)]), SendOut(Bank)), "asset.locked");
    }

    [Fact]
    public void an_asset_out_for_trade_cannot_be_pledged()
    {
        ThenError(When(Given([.. Active(), TransferredOut(TradingCenter, VenuePurpose.Trade)]), SendOut(Bank)), "asset.locked");
    }

    [Fact]
    public void frozen_asset_cannot_be_transferred_out()
    {
        ThenError(When(Given([.. Active(), Frozen()]), SendOut(Bank, VenuePurpose.Financing)), "asset.locked");
    }

    [Fact]
    public void a_cancelled_asset_cannot_be_transferred_out()
    {
        ThenError(When(Given([.. Active(), Cancelled()]), SendOut()), "asset.closed");
    }
}
