namespace AssetLedger.Domain.Tests.Assets;

/// <summary>Quantities, amounts, currencies and hashes: strings in, asset.invalid with the field named when malformed.</summary>
public class validating_values
{
    public static readonly TheoryData<string?> MalformedDecimals =
        ["1e5", "-1", "01", "1,000", "", " ", "0", "0.0", "-0.5", "+1", " 1", "1 ", "1.", ".5", "1.5.2", "١٢", "0x10", "NaN", "1.12345678901", "1234567890123456789", null];

    [Theory]
    [MemberData(nameof(MalformedDecimals))]
    public void malformed_quantity_is_refused_naming_the_field(string? value)
    {
        var error = Quantity.Create(value, "t").Error;

        Assert.Equal(("asset.invalid", "quantity"), (error?.Code, error?.Field));
    }

    [Theory]
    [MemberData(nameof(MalformedDecimals))]
    public void malformed_amount_is_refused_naming_the_field(string? value)
    {
        var error = Money.Create(value, "CNY").Error;

        Assert.Equal(("asset.invalid", "amount"), (error?.Code, error?.Field));
    }

    [Theory]
    [InlineData("1200.5", "1200.5")]
    [InlineData("12.500", "12.5")]
    [InlineData("0.001", "0.001")]
    [InlineData("100000.00", "100000")]
    [InlineData("123456789012345678.0123456789", "123456789012345678.0123456789")]
    public void well_formed_quantity_is_kept_in_canonical_form(string value, string canonical)
    {
        var quantity = Quantity.Create(value, "t");

        Assert.Equal(new Quantity(canonical, "t"), quantity.Value);
    }

    [Fact]
    public void well_formed_amount_is_kept_in_canonical_form()
    {
        Assert.Equal(new Money("100000", "CNY"), Money.Create("100000.00", "CNY").Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("seventeen-letters")]
    public void quantity_needs_a_unit(string? unit)
    {
        Assert.Equal("unit", Quantity.Create("1", unit).Error?.Field);
    }

    [Theory]
    [InlineData("cny")]
    [InlineData("CN")]
    [InlineData("CNYY")]
    [InlineData("")]
    [InlineData("C1Y")]
    [InlineData(null)]
    public void currency_must_be_three_capital_letters(string? currency)
    {
        var error = Money.Create("1", currency).Error;

        Assert.Equal(("asset.invalid", "currency"), (error?.Code, error?.Field));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1e5")]
    [InlineData("01")]
    [InlineData("1,000")]
    [InlineData("")]
    public void registering_a_receipt_with_a_malformed_quantity_is_refused(string value)
    {
        var result = When(Given(), Register(details: ReceiptDetails() with { Quantity = new Quantity(value, "t") }));

        ThenError(result, "asset.invalid", "quantity");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1e5")]
    [InlineData("01")]
    [InlineData("1,000")]
    [InlineData("")]
    public void registering_a_receivable_with_a_malformed_amount_is_refused(string value)
    {
        var result = When(Given(), Register(AssetKind.Receivable, details: ReceivableDetails() with { Amount = new Money(value, "CNY") }));

        ThenError(result, "asset.invalid", "amount");
    }

    [Fact]
    public void registering_a_receivable_in_a_malformed_currency_is_refused()
    {
        var result = When(Given(), Register(AssetKind.Receivable, details: ReceivableDetails() with { Amount = new Money("1", "yuan") }));

        ThenError(result, "asset.invalid", "currency");
    }

    [Fact]
    public void amending_a_quantity_to_zero_is_refused()
    {
        var result = When(Given(Active()), Amend(new AssetDetails { Quantity = new Quantity("0", "t") }));

        ThenError(result, "asset.invalid", "quantity");
    }

    [Theory]
    [InlineData("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a088")]
    [InlineData("zf86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("")]
    public void intangible_content_hash_must_be_lower_case_sha256_hex(string hash)
    {
        var result = When(Given(), Register(AssetKind.Intangible, details: IntangibleDetails() with { ContentSha256 = hash }));

        ThenError(result, "asset.invalid", "contentSha256");
    }

    [Theory]
    [InlineData("2C26B46B68FFC68FF99B453C1D30413413422D706483BFA0F98A5E886266E7AE")]
    [InlineData("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7a")]
    [InlineData("sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e88626")]
    [InlineData("")]
    public void evidence_hash_must_be_lower_case_sha256_hex(string hash)
    {
        var result = When(Given(Active()), Attach(sha256: hash));

        ThenError(result, "asset.invalid", "sha256");
    }
}
