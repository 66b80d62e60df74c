using AssetLedger.Api.Contracts;
using AssetLedger.Projections;
using AssetLedger.Projections.Trace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>The regulator's trace search: GET /api/v1/trace/search's own request and query, the same roles; each search is in the access audit.</summary>
[Authorize(Roles = "Regulator,Operator")]
public sealed class TraceModel(TraceQueries trace) : AuditedPage
{
    public const int PageSize = 50;
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Lock { get; set; }
    [BindProperty(SupportsGet = true)] public string? OwnerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? VenueId { get; set; }
    [BindProperty(SupportsGet = true)] public string? WarehouseId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Commodity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? RegisteredFrom { get; set; }
    [BindProperty(SupportsGet = true)] public string? RegisteredTo { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    public TracePage? Found { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        // An empty field of the form is no filter.
        static string? V(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
        var request = new TraceSearchRequest(V(Kind), V(Status), V(Lock), V(OwnerId), V(VenueId), V(WarehouseId), null, V(Commodity), V(Q),
            V(RegisteredFrom), V(RegisteredTo), null, null, V(Cursor), PageSize);
        var search = request.ToSearch();
        if (search.Error is { } invalid) return Refused(invalid);
        try { Found = await trace.Search(search.Value!, V(Cursor), PageSize, ct); }
        catch (InvalidCursorException e) { return Refused(Problems.RequestErrors.InvalidCursor(e.Message)); }
        return Page();
    }

    public string Next => "/console/trace" + QueryString.Create(new Dictionary<string, string?>
    {
        ["kind"] = Kind, ["status"] = Status, ["lock"] = Lock, ["ownerId"] = OwnerId, ["venueId"] = VenueId, ["warehouseId"] = WarehouseId,
        ["commodity"] = Commodity, ["q"] = Q, ["registeredFrom"] = RegisteredFrom, ["registeredTo"] = RegisteredTo, ["cursor"] = Found?.NextCursor,
    });
}
