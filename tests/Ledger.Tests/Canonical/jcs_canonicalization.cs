using AssetLedger.Ledger.Canonical;

namespace AssetLedger.Ledger.Tests.Canonical;

/// <summary>RFC 8785's own examples, plus the ECMAScript number cases it relies on.</summary>
public class jcs_canonicalization
{
    [Fact]
    public void the_rfc_8785_sample_object_canonicalizes_to_the_rfc_output()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

        Assert.Equal(expected, Jcs.Canonicalize(input));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(0.0000001, "1e-7")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    public void numbers_use_the_ecmascript_shortest_form(double value, string expected) =>
        Assert.Equal(expected, Jcs.FormatNumber(value));

    [Fact]
    public void negative_zero_is_zero() => Assert.Equal("0", Jcs.FormatNumber(-0.0));

    [Fact]
    public void members_sort_by_utf16_code_units_not_by_culture()
    {
        // U+20AC (€) sorts before U+FB33 and after "\r"; surrogate pairs sort by their high surrogate.
        var input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        var output = Jcs.Canonicalize(input);
        var keys = System.Text.Json.JsonDocument.Parse(output).RootElement.EnumerateObject().Select(p => p.Value.GetString()!).ToArray();
        Assert.Equal(["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"], keys);
    }

    [Fact]
    public void whitespace_and_escapes_do_not_change_the_canonical_form()
    {
        Assert.Equal(Jcs.Canonicalize("{\"b\":[1,2],\"a\":\"x\"}"), Jcs.Canonicalize("{ \"a\" : \"\\u0078\" ,\n \"b\" : [ 1.0 , 2e0 ] }"));
    }

    [Fact]
    public void integers_copied_as_sent_and_other_numbers_formatted_give_the_ecmascript_form()
    {
        // Up to 15 digits an integer is copied as sent; beyond, or with a sign of zero, a fraction or an exponent, it is formatted.
        const string input = "[0,-0,10,-10,1e2,1E2,-1.0,123456789012345,-123456789012345,1234567890123456789,1.50,0.1]";
        Assert.Equal("[0,0,10,-10,100,100,-1,123456789012345,-123456789012345,1234567890123456800,1.5,0.1]", Jcs.Canonicalize(input));
    }

    [Fact]
    public void names_and_strings_with_escapes_are_rewritten_and_others_copied()
    {
        const string input = """{"b\u0041":"\u00e9\/\t","plain":"é and 原油","a":"quote \" backslash \\"}""";
        Assert.Equal("""{"a":"quote \" backslash \\","bA":"é/\t","plain":"é and 原油"}""", Jcs.Canonicalize(input));
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(Jcs.Canonicalize(input)), Jcs.CanonicalizeToUtf8(input));
    }
}
