using AssetLedger.Api.Contracts;
using AssetLedger.Api.Problems;
using AssetLedger.Domain.Common;
using AssetLedger.Projections;
using AssetLedger.Projections.Trace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages.Regulator;

/// <summary>
/// What a participant owned, held as venue, confirmed and froze, now or as of a time: GET /api/v1/trace/participants/{id}/holdings
/// in a page, the same query, roles, parsing and access audit.
/// </summary>
[Authorize(Roles = "Regulator,Operator")]
public sealed class HoldingsModel(HoldingsQueries holdings) : AuditedPage
{
    public const int PageSize = 50;
    [BindProperty(SupportsGet = true)] public string? Participant { get; set; }
    [BindProperty(SupportsGet = true)] public string? AsOf { get; set; }
    [BindProperty(SupportsGet = true)] public string? Relation { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    public Holdings? Found { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Participant)) return Page();
        var id = Participant.Trim();
        if (!ParticipantId.IsWellFormed(id)) return Refused(ResourceErrors.NotAParticipantId(id));
        Audit.AccessAuditFilter.SetResource(HttpContext, $"participant:{id}");
        var time = TraceParsing.Time(string.IsNullOrWhiteSpace(AsOf) ? null : AsOf.Trim(), "asOf");
        if (time.Error is { } badTime) return Refused(badTime);
        HoldingRelation? only = null;
        if (!string.IsNullOrEmpty(Relation))
        {
            var r = TraceParsing.Enum<HoldingRelation>(Relation, "relation");
            if (r.Error is { } badRelation) return Refused(badRelation);
            only = r.Value;
        }
        try
        {
            Found = await holdings.For(new ParticipantId(id), time.Value, only, only is null ? null : Cursor, PageSize, ct);
        }
        catch (InvalidCursorException e) { return Refused(RequestErrors.InvalidCursor(e.Message)); }
        return Found is null ? Refused(Domain.Participants.ParticipantErrors.NotFound(new ParticipantId(id))) : Page();
    }

    /// <summary>The next page of one list (the others are left out, as the API pages one relation at a time).</summary>
    public string More(HoldingRelation relation, string cursor) => "/console/regulator/holdings" + QueryString.Create(new Dictionary<string, string?>
    {
        ["participant"] = Participant, ["asOf"] = AsOf, ["relation"] = relation.ToString(), ["cursor"] = cursor,
    });
}
