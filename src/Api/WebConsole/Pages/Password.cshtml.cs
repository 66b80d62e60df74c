using AssetLedger.Api.Security;
using AssetLedger.Application.Users;
using AssetLedger.Domain.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>
/// Change one's own password: the current one is checked by the login service first (a wrong one counts towards the
/// same back-off as a wrong login), the new one by the user's own rules. Setting it ends every session, this one too.
/// </summary>
public sealed class PasswordModel(LoginService logins, ConsoleCommands commands) : ConsolePage
{
    public void OnGet() { }

    public async Task<IActionResult> OnPost(string? current, string? next, CancellationToken ct)
    {
        var login = User.Login()!;
        var check = await logins.Check(login, current ?? "", HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", ct);
        if (check.Error is { } wrong) return Refused(wrong);
        var outcome = await commands.User(new SetPassword(login, Viewer, commands.Now), next ?? "", ct);
        if (outcome.Error is { } e) return Refused(e);
        await HttpContext.SignOutAsync(ConsoleSetup.CookieScheme);
        return LocalRedirect(ConsoleSetup.Prefix + "/login?changed=1");
    }
}
