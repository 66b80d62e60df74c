using AssetLedger.Api.Security;
using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace AssetLedger.Api.WebConsole;

/// <summary>What every console page shares: the viewer, the words in the viewer's language, and how a refusal is shown.</summary>
public abstract class ConsolePage : PageModel
{
    IStringLocalizer<Text>? _text;
    public IStringLocalizer<Text> T => _text ??= HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Text>>();

    public Actor Viewer => User.ToActor();
    public bool Is(Role role) => User.IsInRole(role.ToString());

    /// <summary>The refusal to show above the form, in the viewer's language.</summary>
    public string? Error { get; set; }
    public string? ErrorCode { get; set; }

    /// <summary>The page again with the refusal, answered with the status the API gives the same error (one mapping: Problems.StatusOf).</summary>
    protected IActionResult Refused(DomainError e)
    {
        Error = Errors.Say(e, T);
        ErrorCode = e.Code;
        Response.StatusCode = Problems.Problems.StatusOf(e.Kind);
        return Page();
    }

    /// <summary>After a write, the page that shows its effect (post/redirect/get, so a reload does not post again).</summary>
    protected IActionResult Done(string url, string message)
    {
        TempData["done"] = message;
        return LocalRedirect(url);
    }
}

public static class Errors
{
    /// <summary>A domain error in the viewer's language: its Chinese sentence by code, or its own English message.</summary>
    public static string Say(DomainError e, IStringLocalizer<Text> t)
    {
        var local = t["error." + e.Code];
        return local.ResourceNotFound ? e.Message : local.Value;
    }
}
