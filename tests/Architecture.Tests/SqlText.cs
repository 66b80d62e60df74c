using System.Text;
using System.Text.RegularExpressions;

namespace AssetLedger.Architecture.Tests;

/// <summary>
/// Finds the SQL in source files: a .sql file without its comments, and the C# string literals that read as SQL (an
/// upper-case keyword such as SELECT, FROM or INSERT INTO). Words in prose, comments, routes and log messages are not SQL,
/// so "events" in a message is never taken for the table.
/// </summary>
static partial class SqlText
{
    /// <summary>A piece of SQL and where it starts in its file; <see cref="Text"/> has the same length as the source it came from.</summary>
    public sealed record Piece(int Offset, string Text);

    [GeneratedRegex(@"\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|TRUNCATE|CREATE|ALTER|DROP|INTO|TABLE|LISTEN|NOTIFY)\b")]
    private static partial Regex SqlKeyword();

    public static IEnumerable<Piece> Of(string path, string source) =>
        path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)
            ? [new Piece(0, BlankSqlComments(source))]
            : CSharpLiterals(source).Where(p => SqlKeyword().IsMatch(p.Text));

    /// <summary>Replaces -- and /* */ comments with spaces, keeping every offset (and so every line number).</summary>
    public static string BlankSqlComments(string sql)
    {
        var text = new StringBuilder(sql);
        for (var i = 0; i < sql.Length; i++)
        {
            if (sql[i] == '\'') { i = sql.IndexOf('\'', i + 1) is var end and >= 0 ? end : sql.Length; continue; }
            int close;
            if (sql.AsSpan(i).StartsWith("--")) close = sql.IndexOf('\n', i) is var n and >= 0 ? n : sql.Length;
            else if (sql.AsSpan(i).StartsWith("/*")) close = sql.IndexOf("*/", i, StringComparison.Ordinal) is var e and >= 0 ? e + 1 : sql.Length;
            else continue;
            for (var j = i; j <= close && j < sql.Length; j++) if (sql[j] != '\n') text[j] = ' ';
            i = close;
        }
        return text.ToString();
    }

    /// <summary>
    /// Every string literal of a C# file (regular, verbatim, interpolated, raw), with interpolation holes blanked and the
    /// literals inside those holes returned on their own. Comments and character literals are skipped.
    /// </summary>
    public static List<Piece> CSharpLiterals(string code)
    {
        var pieces = new List<Piece>();
        Code(code, 0, pieces, stopAtBrace: false);
        return pieces;
    }

    /// <summary>Lexes code from <paramref name="i"/>; with <paramref name="stopAtBrace"/> (an interpolation hole), up to its closing brace.</summary>
    static int Code(string s, int i, List<Piece> pieces, bool stopAtBrace)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '/' && At(s, i + 1, '/')) { i = s.IndexOf('\n', i) is var n and >= 0 ? n : s.Length; continue; }
            if (c == '/' && At(s, i + 1, '*')) { i = s.IndexOf("*/", i + 2, StringComparison.Ordinal) is var n and >= 0 ? n + 2 : s.Length; continue; }
            if (c == '\'') { i = CharLiteral(s, i); continue; }
            if (c == '{') depth++;
            if (c == '}' && stopAtBrace && depth-- == 0) return i + 1;
            if (StringStart(s, i) is { } start) { i = Literal(s, i, start, pieces); continue; }
            i++;
        }
        return i;
    }

    sealed record Start(int Dollars, bool Verbatim, int Quotes, int ContentAt);

    static Start? StringStart(string s, int i)
    {
        if (i > 0 && (char.IsLetterOrDigit(s[i - 1]) || s[i - 1] == '_') && s[i] != '"') return null;
        var j = i;
        var dollars = 0;
        var verbatim = false;
        while (j < s.Length && (s[j] == '$' || s[j] == '@'))
        {
            if (s[j] == '$') dollars++; else verbatim = true;
            j++;
        }
        if (j >= s.Length || s[j] != '"') return null;
        var quotes = 0;
        while (j + quotes < s.Length && s[j + quotes] == '"') quotes++;
        // "" is an empty regular string; three or more open a raw string (closed by as many).
        if (verbatim || quotes < 3) quotes = 1;
        return new Start(dollars, verbatim, quotes, j + quotes);
    }

    static int Literal(string s, int i, Start start, List<Piece> pieces)
    {
        var text = new StringBuilder();
        var j = start.ContentAt;
        var raw = start.Quotes >= 3;
        var holeBraces = Math.Max(start.Dollars, 1);
        while (j < s.Length)
        {
            if (raw && s.AsSpan(j).StartsWith(new string('"', start.Quotes))) { j += start.Quotes; break; }
            if (!raw && s[j] == '"')
            {
                if (start.Verbatim && At(s, j + 1, '"')) { text.Append("  "); j += 2; continue; }
                j++;
                break;
            }
            if (!raw && !start.Verbatim && s[j] == '\\') { text.Append(s, j, Math.Min(2, s.Length - j)); j += 2; continue; }
            if (start.Dollars > 0 && s[j] == '{')
            {
                if (!raw && At(s, j + 1, '{')) { text.Append("  "); j += 2; continue; }
                if (s.AsSpan(j).StartsWith(new string('{', holeBraces)))
                {
                    var end = Code(s, j + holeBraces, pieces, stopAtBrace: true) + holeBraces - 1;
                    text.Append(' ', Math.Min(end, s.Length) - j);
                    j = end;
                    continue;
                }
            }
            if (!raw && !start.Verbatim && s[j] == '\n') break; // an unterminated line: leave it
            text.Append(s[j]);
            j++;
        }
        pieces.Add(new Piece(start.ContentAt, text.ToString()));
        return j;
    }

    static int CharLiteral(string s, int i)
    {
        var j = i + 1;
        if (At(s, j, '\\')) j += 2; else j++;
        while (j < s.Length && s[j] != '\'' && s[j] != '\n') j++;
        return j + 1;
    }

    static bool At(string s, int i, char c) => i < s.Length && s[i] == c;
}
