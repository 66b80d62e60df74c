using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AssetLedger.Projections;

/// <summary>A list cursor that cannot be read: malformed, or made for another list. The Api answers 400.</summary>
public sealed class InvalidCursorException(string message) : FormatException(message);

/// <summary>
/// Opaque keyset cursors: base64url of "{list}:{key}", where key is the last row's sort key. Opaque so that
/// clients pass them back unchanged; the list name keeps one list's cursor out of another.
/// </summary>
static class Cursor
{
    public static string Encode(string list, string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{list}:{key}"));

    /// <summary>The key inside a cursor made by <see cref="Encode"/> for <paramref name="list"/>, null for none (null or empty).</summary>
    public static string? Decode(string list, string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return null;
        byte[] bytes;
        try { bytes = Base64Url.DecodeFromChars(cursor); }
        catch (FormatException) { throw Invalid(list); }
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (ArgumentException) { throw Invalid(list); }
        var prefix = list + ":";
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || text.Length == prefix.Length) throw Invalid(list);
        return text[prefix.Length..];
    }

    public static string EncodePosition(string list, long position) => Encode(list, position.ToString(CultureInfo.InvariantCulture));

    public static long? DecodePosition(string list, string? cursor)
    {
        if (Decode(list, cursor) is not { } key) return null;
        if (key.Length > 19 || !key.All(char.IsAsciiDigit) || !long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position <= 0)
            throw Invalid(list);
        return position;
    }

    /// <summary>A (time, position) keyset key: the time in microseconds since the Unix epoch (PostgreSQL's precision), then the position.</summary>
    public static string EncodeTimePosition(string list, DateTimeOffset at, long position) =>
        Encode(list, $"{(at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}_{position}");

    public static (DateTimeOffset At, long Position)? DecodeTimePosition(string list, string? cursor)
    {
        if (Decode(list, cursor) is not { } key) return null;
        var parts = key.Split('_');
        if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            && micros is > -62135596800000000L and < 253402300800000000L)
            return (DateTimeOffset.UnixEpoch.AddTicks(micros * 10), position);
        throw Invalid(list);
    }

    static InvalidCursorException Invalid(string list) =>
        new($"The cursor is not one this {list} list gave out; pass back the nextCursor of the previous page unchanged, or omit it for the first page.");
}
