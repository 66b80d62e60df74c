using System.Text;

namespace AssetLedger.Api.Tests.Fuzz;

/// <summary>One hostile value, written the way each part of a request carries it (null: not sent there).</summary>
/// <param name="Url">Percent-encoded, for a path segment or a query value.</param>
/// <param name="Header">Raw header bytes.</param>
/// <param name="Json">A raw JSON token (possibly invalid JSON or invalid UTF-8).</param>
/// <param name="Numeric">A number: sent to numeric parameters only, since as text it may well be a valid string.</param>
public sealed record FuzzValue(string Name, string? Url, byte[]? Header, byte[]? Json, bool Numeric = false, bool ArrayOnly = false)
{
    static byte[] A(string s) => Encoding.ASCII.GetBytes(s);

    static readonly string Long = new('x', 100_000);

    static readonly byte[] MillionEntries = BuildMillion();

    static byte[] BuildMillion()
    {
        var b = new StringBuilder(4_000_002).Append('[');
        for (var i = 0; i < 1_000_000; i++) b.Append(i == 0 ? "\"x\"" : ",\"x\"");
        return A(b.Append(']').ToString());
    }

    /// <summary>
    /// NUL and a lone surrogate, 100,000 characters, invalid UTF-8, 1e400, negative and huge numbers, a million-entry array.
    /// A NUL or CR in a header is refused by Kestrel before the application runs; <c>kestrel_refusals</c> covers those.
    /// </summary>
    public static readonly IReadOnlyList<FuzzValue> All =
    [
        new("NUL", "a%00b", null, A("\"a\\u0000b\"")),
        new("lone surrogate", "a%ED%A0%80b", [0x61, 0xED, 0xA0, 0x80, 0x62], A("\"a\\ud800b\"")),
        new("100,000 characters", Long, A(Long), A("\"" + Long + "\"")),
        new("invalid UTF-8", "a%FF%FEb", [0x61, 0xFF, 0xFE, 0x62], [(byte)'"', 0x61, 0xFF, 0xFE, 0x62, (byte)'"']),
        new("1e400", "1e400", A("1e400"), A("1e400"), Numeric: true),
        new("negative", "-1", A("-1"), A("-1"), Numeric: true),
        new("huge", "99999999999999999999", A("99999999999999999999"), A("99999999999999999999"), Numeric: true),
        new("huge negative", "-99999999999999999999", A("-99999999999999999999"), A("-99999999999999999999"), Numeric: true),
        new("a million-entry array", null, null, MillionEntries, ArrayOnly: true),
    ];
}
