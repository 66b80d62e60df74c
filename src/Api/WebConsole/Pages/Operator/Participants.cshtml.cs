using AssetLedger.Api.Endpoints;
using AssetLedger.Projections;
using AssetLedger.Projections.Participants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages.Operator;

/// <summary>The operator's participants: the applications waiting (oldest first) by default, or every participant of a status; GET /api/v1/participants's list.</summary>
[Authorize(Roles = "Operator")]
public sealed class ParticipantsModel(ParticipantQueries participants) : ConsolePage
{
    public const int PageSize = 50;
    /// <summary>Applied (the default: the queue to verify), Verified, Rejected, or "all".</summary>
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    public ParticipantPage Found { get; private set; } = new([], null);
    public string Shown => string.IsNullOrEmpty(Status) ? "Applied" : Status;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var status = ParticipantEndpoints.ListedStatus(Shown == "all" ? null : Shown);
        if (status.Error is { } bad) return Refused(bad);
        try { Found = await participants.List(status.Value, Cursor, PageSize, ct); }
        catch (InvalidCursorException e) { return Refused(Problems.RequestErrors.InvalidCursor(e.Message)); }
        return Page();
    }

    public string Next => "/console/operator/participants" + QueryString.Create(new Dictionary<string, string?> { ["status"] = Shown, ["cursor"] = Found.NextCursor });
}
