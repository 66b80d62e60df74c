using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace AssetLedger.Ledger.Canonical;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme: object members sorted by UTF-16 code units, no whitespace,
/// strings with the minimal escapes of ECMAScript's JSON.stringify, numbers in ECMAScript's shortest form.
/// Anyone can recompute an event's hash from its JSON with any JCS implementation.
/// <para>
/// The canonical form is written as UTF-8, the bytes that are hashed, straight from the parsed document:
/// a string with no escape and an integer of at most 15 digits are already canonical as they were sent,
/// so they are copied, not decoded and encoded again. That is most of any event's JSON.
/// </para>
/// </summary>
/// <summary>A JSON text that has no canonical form: a lone surrogate in a string, a number beyond a double's range.</summary>
public sealed class CanonicalJsonException(string message, string? field) : FormatException(message)
{
    /// <summary>The member name under which the offending value sits, or null at the top level.</summary>
    public string? Field { get; } = field;
}

public static class Jcs
{
    public static string Canonicalize(string json) => Encoding.UTF8.GetString(CanonicalizeToUtf8(json));

    public static string Canonicalize(JsonElement element)
    {
        var w = new ArrayBufferWriter<byte>();
        Write(w, element, null);
        return Encoding.UTF8.GetString(w.WrittenSpan);
    }

    public static byte[] CanonicalizeToUtf8(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        var w = new ArrayBufferWriter<byte>(json.Length + 16);
        Write(w, doc.RootElement, null);
        return w.WrittenSpan.ToArray();
    }

    public static void Write(StringBuilder sb, JsonElement e) => sb.Append(Canonicalize(e));

    static void Write(ArrayBufferWriter<byte> w, JsonElement e, string? field)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                // Names are read once: JsonProperty.Name makes a new string on every call, and sorting calls it often.
                var members = new List<(string Name, JsonProperty Member)>();
                foreach (var m in e.EnumerateObject())
                {
                    string name;
                    try { name = m.Name; }
                    catch (InvalidOperationException) { throw LoneSurrogate(field); }
                    members.Add((name, m));
                }
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                w.Write("{"u8);
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0) w.Write(","u8);
                    var raw = JsonMarshal.GetRawUtf8PropertyName(members[i].Member);
                    if (raw.IndexOf((byte)'\\') < 0) WriteQuoted(w, raw);
                    else WriteString(w, members[i].Name);
                    w.Write(":"u8);
                    Write(w, members[i].Member.Value, members[i].Name);
                }
                w.Write("}"u8);
                break;
            case JsonValueKind.Array:
                w.Write("["u8);
                var first = true;
                foreach (var item in e.EnumerateArray())
                {
                    if (!first) w.Write(","u8);
                    first = false;
                    Write(w, item, field);
                }
                w.Write("]"u8);
                break;
            case JsonValueKind.String:
                // Valid JSON has no raw control character or quote in a string, so without a backslash it is canonical.
                var rawString = JsonMarshal.GetRawUtf8Value(e);
                if (rawString.IndexOf((byte)'\\') < 0) w.Write(rawString);
                else
                {
                    string text;
                    try { text = e.GetString()!; }
                    catch (InvalidOperationException) { throw LoneSurrogate(field); }
                    WriteString(w, text);
                }
                break;
            case JsonValueKind.Number:
                var rawNumber = JsonMarshal.GetRawUtf8Value(e);
                if (IsCanonicalInteger(rawNumber)) w.Write(rawNumber);
                else if (e.TryGetDouble(out var d) && double.IsFinite(d)) WriteAscii(w, FormatNumber(d));
                else throw new CanonicalJsonException($"The number {Encoding.UTF8.GetString(rawNumber)} is beyond the range of a double, so it has no canonical form (RFC 8785).", field);
                break;
            case JsonValueKind.True: w.Write("true"u8); break;
            case JsonValueKind.False: w.Write("false"u8); break;
            case JsonValueKind.Null: w.Write("null"u8); break;
            default: throw new FormatException($"Unexpected JSON value kind {e.ValueKind}.");
        }
    }

    /// <summary>A string decoded from its escapes; a lone surrogate (<c>"\ud800"</c>) is not text and has no canonical form.</summary>
    static CanonicalJsonException LoneSurrogate(string? field) =>
        new("A string holds half of a surrogate pair, which is not text and has no canonical form (RFC 8785).", field);

    /// <summary>
    /// An integer written as ECMAScript writes it: no leading zero, no fraction or exponent, not "-0", and at
    /// most 15 digits so that it is exactly a double (ECMAScript prints integers below 10^21 in full).
    /// </summary>
    static bool IsCanonicalInteger(ReadOnlySpan<byte> raw)
    {
        var digits = raw.Length > 0 && raw[0] == (byte)'-' ? raw[1..] : raw;
        if (digits.Length is 0 or > 15 || (digits[0] == (byte)'0' && (digits.Length > 1 || digits.Length != raw.Length))) return false;
        foreach (var b in digits) if (b is < (byte)'0' or > (byte)'9') return false;
        return true;
    }

    static void WriteQuoted(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> utf8)
    {
        w.Write("\""u8);
        w.Write(utf8);
        w.Write("\""u8);
    }

    static void WriteAscii(ArrayBufferWriter<byte> w, string ascii)
    {
        var span = w.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++) span[i] = (byte)ascii[i];
        w.Advance(ascii.Length);
    }

    /// <summary>A JSON string in canonical form, as UTF-8.</summary>
    public static void WriteString(ArrayBufferWriter<byte> w, string s)
    {
        if (s.AsSpan().IndexOfAny(NeedsEscape) < 0)
        {
            w.Write("\""u8);
            var span = w.GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length));
            w.Advance(Encoding.UTF8.GetBytes(s, span));
            w.Write("\""u8);
            return;
        }
        var sb = new StringBuilder(s.Length + 8);
        WriteString(sb, s);
        var escaped = sb.ToString();
        var target = w.GetSpan(Encoding.UTF8.GetMaxByteCount(escaped.Length));
        w.Advance(Encoding.UTF8.GetBytes(escaped, target));
    }

    static readonly SearchValues<char> NeedsEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>ECMAScript Number::toString for a finite double (RFC 8785 §3.2.2.3).</summary>
    public static string FormatNumber(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) throw new FormatException("JCS forbids NaN and Infinity.");
        if (d == 0) return "0";
        var negative = d < 0;
        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        // Split .NET's shortest round-trip form into its significant digits and a decimal exponent.
        var exp = 0;
        var ePos = r.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exp = int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }
        var dot = r.IndexOf('.');
        var intPart = dot < 0 ? r : r[..dot];
        var fracPart = dot < 0 ? "" : r[(dot + 1)..];
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZerosRemoved = (intPart + fracPart).Length - digits.Length;
        // n: position of the decimal point relative to the first significant digit (value = 0.d1d2… × 10^n).
        var n = intPart.Length + exp - leadingZerosRemoved;
        digits = digits.TrimEnd('0');
        var k = digits.Length;
        var sb = new StringBuilder();
        if (negative) sb.Append('-');
        if (k <= n && n <= 21) sb.Append(digits).Append('0', n - k);
        else if (0 < n && n <= 21) sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        else if (-6 < n && n <= 0) sb.Append("0.").Append('0', -n).Append(digits);
        else
        {
            sb.Append(digits[0]);
            if (k > 1) sb.Append('.').Append(digits, 1, k - 1);
            var e = n - 1;
            sb.Append('e').Append(e >= 0 ? "+" : "-").Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
