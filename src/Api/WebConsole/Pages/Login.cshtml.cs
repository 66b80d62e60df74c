using AssetLedger.Api.Security;
using AssetLedger.Application.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>Sign in with the API's own login service: the same password check, the same back-off, the same session version.</summary>
public sealed class LoginModel(LoginService logins) : ConsolePage
{
    [BindProperty] public string? Login { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Notice { get; set; }

    public void OnGet(string? changed) => Notice = changed is not null ? T["password.changed"].Value : null;

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        if (string.IsNullOrEmpty(Login) || string.IsNullOrEmpty(Password)) return Refused(Problems.RequestErrors.Invalid("login", T["login.missing"]));
        var request = new Endpoints.TokenRequest(Login, Password);
        if (request.ShapeError() is { } malformed) return Refused(malformed);
        // The connection's own address, as the token endpoint counts it: no forwarded header is trusted.
        var result = await logins.Check(Login, Password, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", ct);
        if (result.Error is { } e) return Refused(e);
        await HttpContext.SignInAsync(ConsoleSetup.CookieScheme, Sessions.Start(result.Login!, result.Participant!, result.Session!, ConsoleSetup.CookieScheme));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith(ConsoleSetup.Prefix, StringComparison.Ordinal) ? ReturnUrl : ConsoleSetup.Prefix);
    }
}
