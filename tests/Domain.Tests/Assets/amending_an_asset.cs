namespace AssetLedger.Domain.Tests.Assets;

public class amending_an_asset
{
    static readonly AssetDetails NewDescription = new() { Description = "tank 7, north yard" };
    static readonly AssetDetails NewQuantity = new() { Quantity = new Quantity("1150", "t") };

    [Fact]
    public void owner_amends_the_description_without_new_confirmations()
    {
        var result = When(Given(Active()), Amend(NewDescription));

        ThenEvents(result, Amended(ReceiptDetails() with { Description = "tank 7, north yard" }, material: false));
    }

    [Fact]
    public void an_immaterial_amendment_keeps_the_asset_active()
    {
        var state = Given([.. Active(), Amended(ReceiptDetails() with { Description = "tank 7" }, material: false)]);

        Assert.Equal(AssetStatus.Active, state.Status);
    }

    [Fact]
    public void changing_the_quantity_is_a_material_amendment()
    {
        var result = When(Given(Active()), Amend(NewQuantity));

        ThenEvents(result, Amended(ReceiptDetails() with { Quantity = new Quantity("1150", "t") }, material: true));
    }

    [Fact]
    public void changing_the_amount_of_a_receivable_is_a_material_amendment()
    {
        var result = When(Given(Active(AssetKind.Receivable)), Amend(new AssetDetails { Amount = new Money("90000", "CNY") }));

        ThenEvents(result, Amended(ReceivableDetails() with { Amount = new Money("90000", "CNY") }, material: true));
    }

    [Fact]
    public void a_material_amendment_returns_the_asset_to_pending()
    {
        var state = Given([.. Active(), Amended(ReceiptDetails() with { Quantity = new Quantity("1150", "t") }, material: true)]);

        Assert.Equal(AssetStatus.Pending, state.Status);
    }

    [Fact]
    public void a_material_amendment_clears_the_earlier_confirmations()
    {
        var state = Given([.. Active(), Amended(ReceiptDetails() with { Quantity = new Quantity("1150", "t") }, material: true)]);

        Assert.Empty(state.Confirmations);
    }

    [Fact]
    public void after_a_material_amendment_the_warehouse_confirms_again()
    {
        var state = Given([.. Active(), Amended(ReceiptDetails() with { Quantity = new Quantity("1150", "t") }, material: true)]);

        ThenEvents(When(state, Confirm(Warehouse)), Confirmed(Warehouse, "warehouse"));
    }

    [Fact]
    public void only_the_owner_amends()
    {
        var result = When(Given(Active()), Amend(NewDescription, by: Warehouse));

        ThenError(result, "asset.not_owner");
    }

    [Fact]
    public void a_pending_asset_cannot_be_amended()
    {
        var result = When(Given(Registered()), Amend(NewDescription));

        ThenError(result, "asset.wrong_status");
    }

    [Fact]
    public void asset_with_a_pending_offer_cannot_be_amended()
    {
        var result = When(Given([.. Active(), Offered()]), Amend(NewDescription));

        ThenError(result, "asset.locked");
    }

    [Fact]
    public void asset_out_at_a_venue_cannot_be_amended()
    {
        var result = When(Given([.. Active(), TransferredOut()]), Amend(NewDescription));

        ThenError(result, "asset.locked");
    }

    [Fact]
    public void frozen_asset_cannot_be_amended()
    {
        var result = When(Given([.. Active(), Frozen()]), Amend(NewDescription));

        ThenError(result, "asset.locked");
    }

    [Fact]
    public void the_receipt_number_is_part_of_the_key_and_cannot_be_amended()
    {
        var result = When(Given(Active()), Amend(new AssetDetails { ReceiptNumber = "WR-2026-0002" }));

        ThenError(result, "asset.key_immutable", "receiptNumber");
    }

    [Fact]
    public void the_content_hash_is_the_key_and_cannot_be_amended()
    {
        var result = When(Given(Active(AssetKind.Intangible)), Amend(new AssetDetails { ContentSha256 = EvidenceHash }));

        ThenError(result, "asset.key_immutable", "contentSha256");
    }

    [Fact]
    public void an_amendment_that_changes_nothing_is_refused()
    {
        var result = When(Given(Active()), Amend(new AssetDetails { Commodity = "crude oil" }));

        ThenError(result, "asset.no_change");
    }

    [Fact]
    public void a_cancelled_asset_cannot_be_amended()
    {
        var result = When(Given([.. Active(), Cancelled()]), Amend(NewDescription));

        ThenError(result, "asset.closed");
    }
}
