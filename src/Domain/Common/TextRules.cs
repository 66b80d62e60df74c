namespace AssetLedger.Domain.Common;

/// <summary>
/// What no text value may hold, whatever the field: a NUL or another C0 control character (tab, line feed and carriage
/// return aside), or half of a surrogate pair. PostgreSQL stores none of them in text or jsonb, and none is anything a
/// person meant to write, so they are a client's mistake refused up front rather than a failure at the database.
/// </summary>
public static class TextRules
{
    public static bool IsAcceptable(string? value)
    {
        if (value is null) return true;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x20 && c is not ('\t' or '\n' or '\r')) return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }

    public static DomainError Refusal(string field, ErrorKind kind = ErrorKind.Invalid) => new("request.invalid_text",
        $"'{field}' holds a NUL, a control character or half of a surrogate pair; send printable text (tab and line breaks are fine).", kind, field);
}
