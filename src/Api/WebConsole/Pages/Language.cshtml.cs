using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>The language switch on every page: remembers the choice in a cookie (over Accept-Language) and goes back.</summary>
public sealed class LanguageModel : ConsolePage
{
    public IActionResult OnGet(string? culture, string? back)
    {
        if (ConsoleSetup.Cultures.Any(c => c.Name == culture))
            Response.Cookies.Append(ConsoleSetup.CultureCookie, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture!)),
                new CookieOptions { Path = ConsoleSetup.Prefix, HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
        // Only back into the console: the switch must not become an open redirect.
        return LocalRedirect(back is not null && Url.IsLocalUrl(back) && back.StartsWith(ConsoleSetup.Prefix, StringComparison.Ordinal) ? back : ConsoleSetup.Prefix);
    }
}
