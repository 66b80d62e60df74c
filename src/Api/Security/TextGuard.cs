using System.Text;
using System.Text.Json;
using AssetLedger.Domain.Common;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Security;

/// <summary>
/// Applies the Domain's <see cref="TextRules"/> to every query value and every string (member names included) of a JSON
/// body, before authentication, the idempotency store or an endpoint sees them: a NUL or a lone surrogate is refused
/// as a problem naming its field (400 for a query parameter, 422 for a body member) and nothing is written.
/// One place for every endpoint, so no text column or jsonb value is ever asked to hold what PostgreSQL refuses.
/// </summary>
public sealed class TextGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (FirstNotUtf8(http.Request.QueryString.Value) is { } notText) { await Refuse(http, TextRules.Refusal(notText, ErrorKind.Malformed)); return; }
        foreach (var (name, values) in http.Request.Query)
        {
            if (!TextRules.IsAcceptable(name)) { await Refuse(http, TextRules.Refusal("query", ErrorKind.Malformed)); return; }
            foreach (var v in values)
                if (!TextRules.IsAcceptable(v)) { await Refuse(http, TextRules.Refusal(name, ErrorKind.Malformed)); return; }
        }
        if (http.Request.ContentLength is not 0 && http.Request.HasJsonContentType() && !HttpMethods.IsGet(http.Request.Method))
        {
            http.Request.EnableBuffering();
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            http.Request.Body.Position = 0;
            if (FirstUnacceptable(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) is { } field)
            {
                await Refuse(http, TextRules.Refusal(field));
                return;
            }
        }
        await next(http);
    }

    /// <summary>
    /// The first query parameter whose percent-encoded bytes are not UTF-8 (a lone surrogate's three bytes, a stray 0xFF),
    /// or null. ASP.NET decodes such bytes to U+FFFD, which would pass for text; the raw query shows what was sent.
    /// </summary>
    public static string? FirstNotUtf8(string? rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery)) return null;
        foreach (var pair in rawQuery.TrimStart('?').Split('&'))
        {
            if (!System.Text.Unicode.Utf8.IsValid(PercentDecoded(pair)))
            {
                var name = Encoding.UTF8.GetString(PercentDecoded(pair.Split('=')[0]));
                return TextRules.IsAcceptable(name) && name.Length is > 0 and <= 64 && !name.Contains('\uFFFD') ? name : "query";
            }
        }
        return null;
    }

    static byte[] PercentDecoded(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (text[i] == '+') bytes.Add((byte)' ');
            else bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
        }
        return [.. bytes];
    }

    /// <summary>The member under which the first unacceptable string sits ("body" at the top level), or null.</summary>
    public static string? FirstUnacceptable(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip });
        var names = new Stack<string>();
        string? member = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = Text(ref reader);
                        if (name is null || !TextRules.IsAcceptable(name)) return member ?? "body";
                        member = name;
                        break;
                    case JsonTokenType.String:
                        var value = Text(ref reader);
                        if (value is null || !TextRules.IsAcceptable(value)) return member ?? "body";
                        break;
                    case JsonTokenType.StartObject:
                        names.Push(member ?? "");
                        break;
                    case JsonTokenType.EndObject:
                        member = names.Pop() is { Length: > 0 } outer ? outer : null;
                        break;
                }
            }
        }
        catch (JsonException) { return null; } // not JSON: the endpoint's binding says so in its own words
        return null;
    }

    /// <summary>The decoded string, or null when it holds a lone surrogate escape (which does not decode).</summary>
    static string? Text(ref Utf8JsonReader reader)
    {
        try { return reader.GetString(); }
        catch (InvalidOperationException) { return null; }
    }

    static Task Refuse(HttpContext http, DomainError error) => P.From(error).ExecuteAsync(http);
}
