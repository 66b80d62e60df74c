namespace AssetLedger.Domain.Tests.Assets;

/// <summary>Offer (owner), accept and decline (assignee), withdraw (owner).</summary>
public class transferring_an_asset
{
    [Fact]
    public void owner_offers_an_active_asset_to_a_buyer()
    {
        ThenEvents(When(Given(Active()), Offer(to: Buyer)), Offered(to: Buyer));
    }

    [Fact]
    public void only_the_owner_offers_a_transfer()
    {
        ThenError(When(Given(Active()), Offer(to: Buyer, by: Buyer)), "asset.not_owner");
    }

    [Fact]
    public void a_pending_asset_cannot_be_offered()
    {
        ThenError(When(Given(Registered()), Offer()), "asset.wrong_status");
    }

    [Fact]
    public void an_asset_with_a_pending_offer_cannot_be_offered_again()
    {
        ThenError(When(Given([.. Active(), Offered(to: Buyer)]), Offer(to: Bank)), "asset.locked");
    }

    [Fact]
    public void an_asset_out_at_a_venue_cannot_be_offered()
    {
        ThenError(When(Given([.. Active(), TransferredOut()]), Offer()), "asset.locked");
    }

    [Fact]
    public void frozen_asset_cannot_be_offered()
    {
        ThenError(When(Given([.. Active(), Frozen()]), Offer()), "asset.locked");
    }

    [Fact]
    public void owner_cannot_offer_an_asset_to_itself()
    {
        ThenError(When(Given(Active()), Offer(to: Owner)), "asset.self_transfer");
    }

    [Fact]
    public void an_offer_must_name_a_well_formed_participant()
    {
        ThenError(When(Given(Active()), Offer(to: Actor.Of("Buyer One"))), "asset.invalid", "toId");
    }

    [Fact]
    public void assignee_accepts_and_the_asset_is_transferred()
    {
        ThenEvents(When(Given([.. Active(), Offered(to: Buyer)]), Accept(by: Buyer)), Transferred(to: Buyer, from: Owner));
    }

    [Fact]
    public void after_the_transfer_the_assignee_is_the_only_owner_and_the_asset_is_unlocked()
    {
        var state = Given([.. Active(), Offered(to: Buyer), Transferred(to: Buyer)]);

        Assert.Equal((Buyer.Id, false), (state.Owner, state.IsLocked));
    }

    [Fact]
    public void the_previous_owner_can_no_longer_offer_it()
    {
        ThenError(When(Given([.. Active(), Offered(to: Buyer), Transferred(to: Buyer)]), Offer(to: Bank, by: Owner)), "asset.not_owner");
    }

    [Fact]
    public void the_new_owner_offers_it_onwards()
    {
        var state = Given([.. Active(), Offered(to: Buyer), Transferred(to: Buyer)]);

        ThenEvents(When(state, Offer(to: Logistics, by: Buyer)), Offered(to: Logistics, from: Buyer));
    }

    [Fact]
    public void only_the_assignee_accepts()
    {
        ThenError(When(Given([.. Active(), Offered(to: Buyer)]), Accept(by: Bank)), "asset.not_assignee");
    }

    [Fact]
    public void owner_cannot_accept_its_own_offer()
    {
        ThenError(When(Given([.. Active(), Offered(to: Buyer)]), Accept(by: Owner)), "asset.not_assignee");
    }

    [Fact]
    public void nothing_to_accept_without_an_offer()
    {
        ThenError(When(Given(Active()), Accept()), "asset.no_pending_offer");
    }

    [Fact]
    public void an_offer_frozen_after_it_was_made_cannot_be_accepted()
    {
        ThenError(When(Given([.. Active(), Offered(to: Buyer), Frozen()]), Accept(by: Buyer)), "asset.locked");
    }

    [Fact]
    public void assignee_declines_the_offer()
    {
        ThenEvents(When(Given([.. Active(), Offered(to: Buyer)]), Decline(by: Buyer)), Declined(by: Buyer));
    }

    [Fact]
    public void a_declined_offer_leaves_the_owner_unchanged_and_the_asset_unlocked()
    {
        var state = Given([.. Active(), Offered(to: Buyer), Declined(by: Buyer)]);

        Assert.Equal((Owner.Id, false), (state.Owner, state.IsLocked));
    }

    [Fact]
    public void only_the_assignee_declines()
    {
        ThenError(When(Given([.. Active(), Offered(to: Buyer)]), Decline(by: Owner)), "asset.not_assignee");
    }

    [Fact]
    public void nothing_to_decline_without_an_offer()
    {
        ThenError(When(Given(Active()), Decline()), "asset.no_pending_offer");
    }

    [Fact]
    public void a_frozen_assets_offer_can_still_be_declined()
    {
        ThenEvents(When(Given([.. Active(), Offered(to: Buyer), Frozen()]), Decline(by: Buyer)), Declined(by: Buyer));
    }

    [Fact]
    public void owner_withdraws_the_offer()
    {
        ThenEvents(When(Given([.. Active(), Offered(to: Buyer)]), Withdraw(by: Owner)), Withdrawn(by: Owner));
    }

    [Fact]
    public void a_withdrawn_offer_can_no_longer_be_accepted()
    {
        ThenError(When(Given([.. Active(), Offered(to: Buyer), Withdrawn()]), Accept(by: Buyer)), "asset.no_pending_offer");
    }

    [Fact]
    public void only_the_owner_withdraws_the_offer()
    {
        ThenError(When(Given([.. Active(), Offered(to: Buyer)]), Withdraw(by: Buyer)), "asset.not_owner");
    }

    [Fact]
    public void nothing_to_withdraw_without_an_offer()
    {
        ThenError(When(Given(Active()), Withdraw()), "asset.no_pending_offer");
    }

    [Fact]
    public void a_frozen_assets_offer_can_still_be_withdrawn()
    {
        ThenEvents(When(Given([.. Active(), Offered(to: Buyer), Frozen()]), Withdraw(by: Owner)), Withdrawn(by: Owner));
    }

    [Fact]
    public void a_cancelled_asset_cannot_be_offered()
    {
        ThenError(When(Given([.. Active(), Cancelled()]), Offer()), "asset.closed");
    }
}
