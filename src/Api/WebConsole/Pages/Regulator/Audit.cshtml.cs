using System.Globalization;
using AssetLedger.Api.Contracts;
using AssetLedger.Api.Problems;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages.Regulator;

/// <summary>
/// The access audit (GET /api/v1/audit/access in a page: who looked at what, when, and what they were answered, newest
/// first), and the form that downloads a log range's evidence bundle. Reading the audit is audited too.
/// </summary>
[Authorize(Roles = "Regulator,Operator")]
public sealed class AuditModel(IAccessAudit audit) : AuditedPage
{
    public const int PageSize = 100;
    [BindProperty(SupportsGet = true)] public string? Participant { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }
    public AccessAuditPage Found { get; private set; } = new([], null);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Audit.AccessAuditFilter.SetResource(HttpContext, "audit");
        static string? V(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var participant = V(Participant);
        if (participant is not null && !ParticipantId.IsWellFormed(participant))
            return Refused(RequestErrors.Invalid("participantId", "participantId must be a participant id (1–64 lower-case letters, digits, '-', '_', '.')."));
        var from = TraceParsing.Time(V(From), "from");
        if (from.Error is { } e1) return Refused(e1);
        var to = TraceParsing.Time(V(To), "to");
        if (to.Error is { } e2) return Refused(e2);
        if (Before is <= 0) return Refused(RequestErrors.InvalidCursor("before is a record number this list gave out; start again without it."));
        Found = await audit.Read(new AccessAuditQuery(participant, from.Value, to.Value, Before, PageSize), ct);
        return Page();
    }

    public string Next => "/console/regulator/audit" + QueryString.Create(new Dictionary<string, string?>
    {
        ["participant"] = Participant, ["from"] = From, ["to"] = To, ["before"] = Found.NextBefore?.ToString(CultureInfo.InvariantCulture),
    });
}
