namespace AssetLedger.Domain.Tests.Bugs;

/// <summary>
/// The decider only checked that a receipt had a quantity and a receivable an amount; a <see cref="Quantity"/> or
/// <see cref="Money"/> built with its constructor (not <c>Create</c>) carried "-1", "0" or "1e5" into the ledger.
/// </summary>
public class bug_quantity_and_amount_records_skipped_validation
{
    [Fact]
    public void a_receipt_with_a_negative_quantity_is_not_registered()
    {
        var result = When(Given(), Register(details: ReceiptDetails() with { Quantity = new Quantity("-1", "t") }));

        ThenError(result, "asset.invalid", "quantity");
    }

    [Fact]
    public void a_receivable_cannot_be_amended_to_an_exponent_amount()
    {
        var result = When(Given(Active(AssetKind.Receivable)), Amend(new AssetDetails { Amount = new Money("1e5", "CNY") }));

        ThenError(result, "asset.invalid", "amount");
    }
}
