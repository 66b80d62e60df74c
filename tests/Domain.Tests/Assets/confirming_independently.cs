namespace AssetLedger.Domain.Tests.Assets;

/// <summary>
/// Separation of duties in confirmation (确权, issue 14 item 11): the owner and the registrant are never the
/// independent institution, whatever roles they hold; the party a slot names attests its own fact.
/// </summary>
public class confirming_independently
{
    static readonly Actor OwnerAndTradingCenter = Actor.Of("co-tc", Role.Owner, Role.TradingCenter);
    static readonly Actor WarehouseAndTradingCenter = Actor.Of("wh-tc", Role.Warehouse, Role.TradingCenter);
    static readonly Actor OwnerAndRegulator = Actor.Of("co-reg", Role.Owner, Role.Regulator);

    [Fact]
    public void an_owner_holding_the_trading_center_role_cannot_fill_the_trading_center_slot_of_its_own_receipt()
    {
        var state = Given(Registered(owner: OwnerAndTradingCenter), Confirmed(Warehouse, "warehouse"));

        var result = When(state, Confirm(OwnerAndTradingCenter));

        var error = ThenError(result, "asset.confirmer_not_independent");
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
    }

    [Fact]
    public void an_owner_holding_the_regulator_role_cannot_confirm_its_own_intangible()
    {
        var result = When(Given(Registered(AssetKind.Intangible, owner: OwnerAndRegulator)), Confirm(OwnerAndRegulator));

        ThenError(result, "asset.confirmer_not_independent");
    }

    [Fact]
    public void an_owner_cannot_reject_its_own_asset_through_a_role_slot_either()
    {
        var result = When(Given(Registered(owner: OwnerAndTradingCenter)), Reject(OwnerAndTradingCenter));

        ThenError(result, "asset.confirmer_not_independent");
    }

    [Fact]
    public void an_owner_named_as_the_receipts_warehouse_cannot_attest_its_own_goods()
    {
        var selfHeld = Actor.Of("co-wh", Role.Owner, Role.Warehouse);
        var details = ReceiptDetails() with { Warehouse = selfHeld.Id };

        var result = When(Given(Registered(owner: selfHeld, details: details)), Confirm(selfHeld));

        ThenError(result, "asset.confirmer_not_independent");
    }

    [Fact]
    public void a_warehouse_that_filed_a_receipt_still_confirms_the_slot_that_names_it()
    {
        var details = ReceiptDetails() with { Warehouse = WarehouseAndTradingCenter.Id };
        var state = Given(Registered(details: details, by: WarehouseAndTradingCenter));

        var result = When(state, Confirm(WarehouseAndTradingCenter));

        ThenEvents(result, Confirmed(WarehouseAndTradingCenter, "warehouse"));
    }

    [Fact]
    public void a_registrant_that_has_since_transferred_the_asset_still_cannot_confirm_it()
    {
        var amended = ReceiptDetails() with { Commodity = "fuel oil" };
        var state = Given(Registered(owner: OwnerAndTradingCenter), Confirmed(Warehouse, "warehouse"), Confirmed(TradingCenter, "trading-center"),
            Transferred(to: Buyer, from: OwnerAndTradingCenter), Amended(amended, material: true, by: Buyer), Confirmed(Warehouse, "warehouse"));

        var result = When(state, Confirm(OwnerAndTradingCenter));

        Assert.Equal((Buyer.Id, OwnerAndTradingCenter.Id), (state.Owner, state.Registrant));
        ThenError(result, "asset.confirmer_not_independent");
    }

    [Fact]
    public void an_independent_trading_center_completes_a_receipt_the_warehouse_filed()
    {
        var details = ReceiptDetails() with { Warehouse = WarehouseAndTradingCenter.Id };
        var state = Given(Registered(details: details, by: WarehouseAndTradingCenter), Confirmed(WarehouseAndTradingCenter, "warehouse"));

        var result = When(state, Confirm(TradingCenter));

        ThenEvents(result, Confirmed(TradingCenter, "trading-center"));
    }
}
