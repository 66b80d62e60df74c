using AssetLedger.Api.Contracts;
using AssetLedger.Domain.Assets;
using AssetLedger.Projections;
using AssetLedger.Projections.Assets;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages.Assets;

/// <summary>My assets: the read model's list, only what the visibility rule lets me see, filtered and paged like GET /api/v1/assets.</summary>
public sealed class IndexModel(AssetQueries assets) : ConsolePage
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Commodity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    public AssetPage Found { get; private set; } = new([], null);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var kind = Optional<AssetKind>(Kind, "kind");
        var status = Optional<AssetStatus>(Status, "status");
        if ((kind.Error ?? status.Error ?? QueryRules.AssetText(Commodity is { Length: > 0 } ? Commodity : null, "commodity")) is { } bad) return Refused(bad);
        var filter = new AssetFilter { Kind = kind.Value, Status = status.Value, Commodity = Commodity is { Length: > 0 } ? Commodity : null, VisibleTo = Viewer };
        try { Found = await assets.List(filter, Cursor is { Length: > 0 } ? Cursor : null, PageSize, ct); }
        catch (InvalidCursorException) { return Refused(Problems.RequestErrors.InvalidCursor("cursor is not one this list handed out; start again without a cursor.")); }
        // htmx asks for the results alone when the search form changes; a plain request gets the whole page.
        return Request.Headers.ContainsKey("HX-Request") ? Partial("_AssetResults", this) : Page();
    }

    static Domain.Common.Result<T?> Optional<T>(string? text, string field) where T : struct, Enum
    {
        if (string.IsNullOrEmpty(text)) return Domain.Common.Result<T?>.Of(null);
        var parsed = RequestMapping.ParseEnum<T>(text, field);
        return parsed.Error is { } e ? e : Domain.Common.Result<T?>.Of(parsed.Value);
    }

    public string NextPage => $"/console/assets?kind={Uri.EscapeDataString(Kind ?? "")}&status={Uri.EscapeDataString(Status ?? "")}&commodity={Uri.EscapeDataString(Commodity ?? "")}&cursor={Uri.EscapeDataString(Found.NextCursor ?? "")}";
}
