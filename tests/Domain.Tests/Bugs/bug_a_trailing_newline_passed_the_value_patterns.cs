namespace AssetLedger.Domain.Tests.Bugs;

/// <summary>
/// In .NET, <c>$</c> also matches before a final "\n", so "1\n" passed the decimal pattern (and then threw in
/// decimal.Parse), and "CNY\n" or a hash followed by "\n" were accepted as they were.
/// </summary>
public class bug_a_trailing_newline_passed_the_value_patterns
{
    [Fact]
    public void a_quantity_with_a_trailing_newline_is_refused_not_thrown()
    {
        Assert.Equal("quantity", Quantity.Create("1\n", "t").Error?.Field);
    }

    [Fact]
    public void a_currency_with_a_trailing_newline_is_refused()
    {
        Assert.Equal("currency", Money.Create("1", "CNY\n").Error?.Field);
    }

    [Fact]
    public void an_evidence_hash_with_a_trailing_newline_is_refused()
    {
        ThenError(When(Given(Active()), Attach(sha256: EvidenceHash + "\n")), "asset.invalid", "sha256");
    }

    [Fact]
    public void a_content_hash_with_a_trailing_newline_is_refused()
    {
        var result = When(Given(), Register(AssetKind.Intangible, details: IntangibleDetails() with { ContentSha256 = ContentHash + "\n" }));

        ThenError(result, "asset.invalid", "contentSha256");
    }
}
