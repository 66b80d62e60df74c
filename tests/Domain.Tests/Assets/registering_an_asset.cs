namespace AssetLedger.Domain.Tests.Assets;

public class registering_an_asset
{
    [Theory]
    [InlineData(AssetKind.WarehouseReceipt)]
    [InlineData(AssetKind.Receivable)]
    [InlineData(AssetKind.Intangible)]
    public void owner_registers_an_asset_of_each_kind(AssetKind kind)
    {
        var state = Given();

        var result = When(state, Register(kind));

        ThenEvents(result, Registered(kind));
    }

    [Fact]
    public void registration_names_the_default_confirmers_of_a_receipt()
    {
        var result = When(Given(), Register());

        var registered = Assert.IsType<AssetRegistered>(Assert.Single(result.Events));
        Assert.Equal([new("warehouse", Role.Warehouse, Warehouse.Id), new("trading-center", Role.TradingCenter, null)], registered.RequiredConfirmers);
    }

    [Fact]
    public void registration_records_the_natural_key()
    {
        var result = When(Given(), Register(AssetKind.Receivable));

        Assert.Equal("receivable:debtor-1:INV-2026-0001", Assert.IsType<AssetRegistered>(Assert.Single(result.Events)).Key);
    }

    [Fact]
    public void a_registered_asset_is_pending()
    {
        var state = Given(Registered());

        Assert.Equal(AssetStatus.Pending, state.Status);
    }

    [Fact]
    public void warehouse_registers_a_receipt_it_holds_for_an_owner()
    {
        var result = When(Given(), Register(owner: Owner, by: Warehouse));

        ThenEvents(result, Registered(owner: Owner, by: Warehouse));
    }

    [Fact]
    public void another_warehouse_cannot_register_a_receipt_for_goods_it_does_not_hold()
    {
        var result = When(Given(), Register(owner: Owner, by: OtherWarehouse));

        ThenError(result, "asset.not_permitted");
    }

    [Fact]
    public void a_participant_named_as_warehouse_without_the_warehouse_role_cannot_register_for_an_owner()
    {
        var result = When(Given(), Register(owner: Owner, by: Actor.Of("wh-1", Role.Owner)));

        ThenError(result, "asset.not_permitted");
    }

    [Fact]
    public void warehouse_cannot_register_a_receivable_for_an_owner()
    {
        var result = When(Given(), Register(AssetKind.Receivable, owner: Owner, by: Warehouse));

        ThenError(result, "asset.not_permitted");
    }

    [Fact]
    public void nobody_registers_an_asset_in_someone_elses_name()
    {
        var result = When(Given(), Register(owner: Owner, by: Buyer));

        ThenError(result, "asset.not_permitted");
    }

    [Fact]
    public void an_asset_id_is_registered_once()
    {
        var result = When(Given(Registered()), Register());

        ThenError(result, "asset.already_exists");
    }

    [Fact]
    public void owner_must_be_a_well_formed_participant_id()
    {
        var result = When(Given(), Register(owner: Actor.Of("Owner One", Role.Owner)));

        ThenError(result, "asset.invalid", "ownerId");
    }

    [Fact]
    public void receipt_needs_a_receipt_number()
    {
        var result = When(Given(), Register(details: ReceiptDetails() with { ReceiptNumber = " " }));

        ThenError(result, "asset.invalid", "receiptNumber");
    }

    [Fact]
    public void receipt_needs_a_warehouse()
    {
        var result = When(Given(), Register(details: ReceiptDetails() with { Warehouse = null }));

        ThenError(result, "asset.invalid", "warehouseId");
    }

    [Fact]
    public void receipt_needs_a_quantity()
    {
        var result = When(Given(), Register(details: ReceiptDetails() with { Quantity = null }));

        ThenError(result, "asset.invalid", "quantity");
    }

    [Fact]
    public void receivable_needs_a_due_date()
    {
        var result = When(Given(), Register(AssetKind.Receivable, details: ReceivableDetails() with { DueDate = null }));

        ThenError(result, "asset.invalid", "dueDate");
    }

    [Fact]
    public void receivable_needs_an_amount()
    {
        var result = When(Given(), Register(AssetKind.Receivable, details: ReceivableDetails() with { Amount = null }));

        ThenError(result, "asset.invalid", "amount");
    }

    [Fact]
    public void intangible_needs_a_title()
    {
        var result = When(Given(), Register(AssetKind.Intangible, details: IntangibleDetails() with { Title = null }));

        ThenError(result, "asset.invalid", "title");
    }

    [Fact]
    public void unknown_kind_is_refused()
    {
        var result = When(Given(), Register((AssetKind)42, details: ReceiptDetails()));

        ThenError(result, "asset.invalid", "kind");
    }
}
