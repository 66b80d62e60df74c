namespace AssetLedger.Domain.Tests.Assets;

public class confirming_and_rejecting
{
    [Fact]
    public void named_warehouse_confirms_its_receipt()
    {
        var result = When(Given(Registered()), Confirm(Warehouse, "tank 7 gauged"));

        ThenEvents(result, Confirmed(Warehouse, "warehouse", "tank 7 gauged"));
    }

    [Fact]
    public void any_trading_center_fills_the_trading_center_slot()
    {
        var result = When(Given(Registered()), Confirm(OtherTradingCenter));

        ThenEvents(result, Confirmed(OtherTradingCenter, "trading-center"));
    }

    [Fact]
    public void named_debtor_confirms_its_receivable()
    {
        var result = When(Given(Registered(AssetKind.Receivable)), Confirm(Debtor));

        ThenEvents(result, Confirmed(Debtor, "debtor"));
    }

    [Fact]
    public void regulator_confirms_an_intangible()
    {
        var result = When(Given(Registered(AssetKind.Intangible)), Confirm(Regulator));

        ThenEvents(result, Confirmed(Regulator, "regulator"));
    }

    [Fact]
    public void asset_stays_pending_until_every_confirmer_has_confirmed()
    {
        var state = Given(Registered(), Confirmed(Warehouse, "warehouse"));

        Assert.Equal(AssetStatus.Pending, state.Status);
    }

    [Theory]
    [InlineData(AssetKind.WarehouseReceipt)]
    [InlineData(AssetKind.Receivable)]
    [InlineData(AssetKind.Intangible)]
    public void asset_becomes_active_when_the_last_confirmer_confirms(AssetKind kind)
    {
        var (first, second) = (ConfirmersOf(kind)[0], ConfirmersOf(kind)[1]);
        var state = Given(Registered(kind), Confirmed(first.By, first.Slot));

        var result = When(state, Confirm(second.By));

        Assert.Equal(AssetStatus.Active, result.Events.Aggregate(state, AssetState.Evolve).Status);
    }

    [Fact]
    public void a_party_cannot_confirm_twice()
    {
        var result = When(Given(Registered(), Confirmed(Warehouse, "warehouse")), Confirm(Warehouse));

        ThenError(result, "asset.already_confirmed");
    }

    [Fact]
    public void a_party_holding_two_required_roles_fills_only_one_slot()
    {
        var both = Actor.Of("tc-reg", Role.Regulator, Role.TradingCenter);

        var result = When(Given(Registered(AssetKind.Intangible), Confirmed(both, "regulator")), Confirm(both));

        ThenError(result, "asset.already_confirmed");
    }

    [Fact]
    public void a_second_trading_center_cannot_fill_a_slot_already_filled()
    {
        var result = When(Given(Registered(), Confirmed(TradingCenter, "trading-center")), Confirm(OtherTradingCenter));

        ThenError(result, "asset.not_confirmer");
    }

    [Fact]
    public void another_warehouse_is_not_a_confirmer_of_the_receipt()
    {
        var result = When(Given(Registered()), Confirm(OtherWarehouse));

        ThenError(result, "asset.not_confirmer");
    }

    [Fact]
    public void another_debtor_is_not_a_confirmer_of_the_receivable()
    {
        var result = When(Given(Registered(AssetKind.Receivable)), Confirm(OtherDebtor));

        ThenError(result, "asset.not_confirmer");
    }

    [Fact]
    public void bank_is_not_a_required_confirmer()
    {
        var result = When(Given(Registered()), Confirm(Bank));

        ThenError(result, "asset.not_confirmer");
    }

    [Fact]
    public void regulator_is_not_a_confirmer_of_a_receipt()
    {
        var result = When(Given(Registered()), Confirm(Regulator));

        ThenError(result, "asset.not_confirmer");
    }

    [Fact]
    public void owner_cannot_confirm_its_own_asset()
    {
        var result = When(Given(Registered()), Confirm(Owner));

        ThenError(result, "asset.not_confirmer");
    }

    [Fact]
    public void an_active_asset_cannot_be_confirmed_again()
    {
        var result = When(Given(Active()), Confirm(OtherTradingCenter));

        ThenError(result, "asset.wrong_status");
    }

    [Fact]
    public void an_overlong_comment_is_refused()
    {
        var result = When(Given(Registered()), Confirm(Warehouse, new string('x', 2001)));

        ThenError(result, "asset.invalid", "comment");
    }

    [Fact]
    public void confirming_an_unknown_asset_is_refused()
    {
        var result = When(Given(), Confirm(Warehouse));

        ThenError(result, "asset.not_found");
    }

    [Fact]
    public void a_confirmer_rejects_the_asset()
    {
        var result = When(Given(Registered()), Reject(Warehouse, "no such goods in tank 7"));

        ThenEvents(result, Rejected(Warehouse, "warehouse", "no such goods in tank 7"));
    }

    [Fact]
    public void a_rejected_asset_is_closed()
    {
        var state = Given(Registered(), Rejected(Warehouse, "warehouse"));

        Assert.Equal((AssetStatus.Rejected, true), (state.Status, state.IsClosed));
    }

    [Fact]
    public void a_party_not_required_cannot_reject()
    {
        var result = When(Given(Registered()), Reject(Bank));

        ThenError(result, "asset.not_confirmer");
    }

    [Fact]
    public void a_party_that_confirmed_cannot_reject_afterwards()
    {
        var result = When(Given(Registered(), Confirmed(Warehouse, "warehouse")), Reject(Warehouse));

        ThenError(result, "asset.already_confirmed");
    }

    [Theory]
    [MemberData(nameof(EveryCommand.Names), MemberType = typeof(EveryCommand))]
    public void a_rejected_asset_accepts_no_command(string command)
    {
        var state = Given(Registered(), Rejected(Warehouse, "warehouse"));

        var result = When(state, EveryCommand.ByName(command));

        ThenError(result, command == "register" ? "asset.already_exists" : "asset.closed");
    }
}
