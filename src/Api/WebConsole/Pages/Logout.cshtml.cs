using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>Sign out: a POST with the antiforgery token (a link could be followed by another site's image).</summary>
public sealed class LogoutModel : ConsolePage
{
    public IActionResult OnGet() => LocalRedirect(ConsoleSetup.Prefix);

    public async Task<IActionResult> OnPost()
    {
        await HttpContext.SignOutAsync(ConsoleSetup.CookieScheme);
        return LocalRedirect(ConsoleSetup.Prefix + "/login");
    }
}
