using AssetLedger.Ledger.Canonical;

namespace AssetLedger.Ledger.Tests.Canonical;

/// <summary>
/// Issue 14 item 2: a lone surrogate or a number beyond a double has no RFC 8785 form. The canonicaliser refuses it with
/// a typed exception that names the member, so a signed command's caller gets a 4xx, not a 500.
/// </summary>
public class jcs_refuses_what_has_no_canonical_form
{
    [Theory]
    [InlineData("""{"commodity":"oil \ud800"}""", "commodity")]
    [InlineData("""{"commodity":"\udc00"}""", "commodity")]
    [InlineData("""{"details":{"title":["ok","\ud800x"]}}""", "title")]
    [InlineData("""{"\ud800":"name"}""", null)]
    public void a_lone_surrogate_is_refused_naming_its_member(string json, string? field)
    {
        var e = Assert.Throws<CanonicalJsonException>(() => Jcs.Canonicalize(json));
        Assert.Equal(field, e.Field);
    }

    [Theory]
    [InlineData("""{"quantity":1e400}""", "quantity")]
    [InlineData("""{"quantity":-1e400}""", "quantity")]
    [InlineData("""[1e400]""", null)]
    public void a_number_beyond_a_double_is_refused_naming_its_member(string json, string? field)
    {
        var e = Assert.Throws<CanonicalJsonException>(() => Jcs.Canonicalize(json));
        Assert.Equal(field, e.Field);
        Assert.Contains("1e400", e.Message);
    }

    [Fact]
    public void a_surrogate_pair_written_as_escapes_is_still_canonicalized()
    {
        Assert.Equal("{\"a\":\"😀\"}", Jcs.Canonicalize("""{"a":"\ud83d\ude00"}"""));
    }
}
