namespace AssetLedger.Domain.Tests.Assets;

/// <summary>The venue holding the asset returns it: to the owner when repaid, or to a new owner when sold or enforced.</summary>
public class returning_from_a_venue
{
    [Fact]
    public void bank_returns_a_repaid_pledge_to_the_owner()
    {
        ThenEvents(When(Given([.. Active(), TransferredOut(Bank)]), Return(by: Bank)), Returned(Bank, to: Owner, previousOwner: Owner));
    }

    [Fact]
    public void trading_center_returns_a_sold_asset_to_the_buyer()
    {
        var state = Given([.. Active(), TransferredOut(TradingCenter, VenuePurpose.Trade)]);

        ThenEvents(When(state, Return(by: TradingCenter, newOwner: Buyer)), Returned(TradingCenter, to: Buyer, previousOwner: Owner));
    }

    [Fact]
    public void returned_to_a_new_owner_the_asset_has_that_one_owner_and_is_unlocked()
    {
        var state = Given([.. Active(), TransferredOut(TradingCenter, VenuePurpose.Trade), Returned(TradingCenter, to: Buyer)]);

        Assert.Equal((Buyer.Id, false), (state.Owner, state.IsLocked));
    }

    [Fact]
    public void bank_enforcing_a_pledge_returns_the_asset_to_itself()
    {
        ThenEvents(When(Given([.. Active(), TransferredOut(Bank)]), Return(by: Bank, newOwner: Bank)), Returned(Bank, to: Bank, previousOwner: Owner));
    }

    [Fact]
    public void only_the_venue_holding_it_returns_it()
    {
        ThenError(When(Given([.. Active(), TransferredOut(Bank)]), Return(by: TradingCenter)), "asset.not_venue");
    }

    [Fact]
    public void the_owner_cannot_take_a_pledged_asset_back()
    {
        ThenError(When(Given([.. Active(), TransferredOut(Bank)]), Return(by: Owner)), "asset.not_venue");
    }

    [Fact]
    public void an_asset_that_is_not_out_cannot_be_returned()
    {
        ThenError(When(Given(Active()), Return(by: Bank)), "asset.not_out");
    }

    [Fact]
    public void frozen_asset_cannot_be_returned()
    {
        ThenError(When(Given([.. Active(), TransferredOut(Bank), Frozen()]), Return(by: Bank)), "asset.frozen");
    }

    [Fact]
    public void frozen_asset_cannot_be_returned_to_a_new_owner()
    {
        ThenError(When(Given([.. Active(), TransferredOut(Bank), Frozen()]), Return(by: Bank, newOwner: Buyer)), "asset.frozen");
    }

    [Fact]
    public void a_new_owner_must_be_a_well_formed_participant()
    {
        ThenError(When(Given([.. Active(), TransferredOut(Bank)]), Return(by: Bank, newOwner: Actor.Of("New Owner"))), "asset.invalid", "newOwnerId");
    }
}
