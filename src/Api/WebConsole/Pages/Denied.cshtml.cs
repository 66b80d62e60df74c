namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>What a signed-in user sees on a page its roles do not open (403, as the API answers).</summary>
public sealed class DeniedModel : ConsolePage
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
