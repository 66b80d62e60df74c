using System.ComponentModel.DataAnnotations;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using AssetLedger.Api.Audit;
using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>The access audit: who looked at what, when, and what they were answered (regulator, operator). Reading it is audited too.</summary>
public static class AuditEndpoints
{
    const string CursorPrefix = "audit:";

    /// <summary>The largest page the access audit's store reads.</summary>
    public const int MaxPage = 500;

    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/audit").WithTags("Audit")
            .RequireAuthorization(p => p.RequireRole("Regulator", "Operator"))
            .AddEndpointFilter<AccessAuditFilter>()
            .WithReadProblems().ProducesProblem(403).ProducesProblem(422);
        g.MapGet("/access", Access)
            .WithSummary("Access-audit records, newest first: filter by participantId and time (from inclusive, to exclusive), cursor paging (regulator, operator)");
        return g;
    }

    static async Task<Results<Ok<AccessAuditPageView>, ProblemHttpResult>> Access(
        [MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? participantId, string? from, string? to, string? cursor, [Range(1, MaxPage)] int? limit, IAccessAudit audit, HttpContext http, CancellationToken ct)
    {
        AccessAuditFilter.SetResource(http, "audit");
        if (QueryRules.PageSize(limit, MaxPage) is { } badLimit) return P.From(badLimit);
        if (participantId is not null && !ParticipantId.IsWellFormed(participantId))
            return P.From(RequestErrors.Invalid("participantId", "participantId must be a participant id (1–64 lower-case letters, digits, '-', '_', '.')."));
        var f = TraceParsing.Time(from, "from");
        if (f.Error is { } e1) return P.From(e1);
        var t = TraceParsing.Time(to, "to");
        if (t.Error is { } e2) return P.From(e2);
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (Decode(cursor) is not { } seq)
                return P.From(RequestErrors.InvalidCursor("The cursor is not one this audit list gave out; pass back the nextCursor of the previous page unchanged."));
            before = seq;
        }
        var page = await audit.Read(new AccessAuditQuery(participantId, f.Value, t.Value, before, limit ?? 100), ct);
        return TypedResults.Ok(new AccessAuditPageView(page.Items.Select(AccessAuditView.From).ToList(),
            page.NextBefore is { } next ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CursorPrefix + next.ToString(CultureInfo.InvariantCulture))) : null));
    }

    static long? Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(CursorPrefix, StringComparison.Ordinal)
                   && long.TryParse(text.AsSpan(CursorPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0 ? seq : null;
        }
        catch (FormatException) { return null; }
    }
}
