using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace AssetLedger.Api.WebConsole;

/// <summary>Small pieces of markup every page uses the same way.</summary>
public static class Markup
{
    /// <summary>
    /// A time as UTC in the markup (and on hover); the console's script shows it in the viewer's own zone. Without the
    /// script the UTC time stays, marked as such.
    /// </summary>
    public static IHtmlContent Time(DateTimeOffset? t)
    {
        if (t is not { } at) return HtmlString.Empty;
        var utc = at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var iso = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new HtmlString($"<time datetime=\"{iso}\" title=\"{utc} UTC\">{utc} UTC</time>");
    }

    /// <summary>The form's own Idempotency-Key (<see cref="FormIdempotencyKey"/>), new each time the form is drawn.</summary>
    public static IHtmlContent Key() =>
        new HtmlString($"<input type=\"hidden\" name=\"{FormIdempotencyKey.Field}\" value=\"{Guid.NewGuid():N}\">");

    /// <summary>A quantity or an amount exactly as stored (a decimal string), never reformatted by the viewer's culture.</summary>
    public static string Exact(string? value, string? unit) => value is null ? "" : $"{value} {unit}".Trim();
}
