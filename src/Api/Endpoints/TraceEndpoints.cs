using System.ComponentModel.DataAnnotations;
using AssetLedger.Api.Audit;
using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Application.Diagnostics;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Projections;
using AssetLedger.Projections.Trace;
using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// Traceability (资产溯源) for regulators and the operator: an asset's whole timeline with the proof status of every
/// event, search, and a participant's holdings at any time. Every call is written to the access audit.
/// </summary>
public static class TraceEndpoints
{
    public static RouteGroupBuilder MapTrace(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/trace").WithTags("Trace")
            .RequireAuthorization(p => p.RequireRole("Regulator", "Operator"))
            .AddEndpointFilter<AccessAuditFilter>()
            .WithReadProblems().ProducesProblem(403).ProducesProblem(422);
        g.MapGet("/assets/{id}", Timeline).ProducesProblem(503)
            .WithSummary("An asset's full timeline in one snapshot: every event with actor, hash and proof status; owners, locks, confirmations, evidence (regulator, operator)");
        g.MapGet("/assets/{id}/timeline.html", TimelineHtml).Produces(200, contentType: "text/html").ProducesProblem(503)
            .WithSummary("The same timeline as a page to read in a browser: chain of custody, and a green or red proof mark per event (regulator, operator)");
        g.MapGet("/search", Search)
            .WithSummary("Search assets by kind, status, lock, owner, venue, warehouse, debtor, commodity, time ranges and free text; newest change first, cursor paging (regulator, operator)");
        g.MapGet("/participants/{id}/holdings", Holdings)
            .WithSummary("What a participant owns, holds as venue, has confirmed and has frozen, now or asOf a time, answered from history (regulator, operator)");
        return g;
    }

    static async Task<Results<Ok<AssetTrace>, ProblemHttpResult>> Timeline(string id, TraceQueries trace, IEventStore store, CancellationToken ct)
    {
        var assetId = CommandServices.AssetIdOf(id);
        if (assetId.Error is { } bad) return P.From(bad);
        AssetTrace? timeline;
        using (Stages.Start(Stages.ReadTrace)) timeline = await trace.Timeline(assetId.Value, ct);
        return timeline is { } t ? TypedResults.Ok(t) : await Missing(assetId.Value, store, ct);
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> TimelineHtml(string id, TraceQueries trace, IEventStore store, HttpContext http, CancellationToken ct)
    {
        var assetId = CommandServices.AssetIdOf(id);
        if (assetId.Error is { } bad) return P.From(bad);
        http.Response.Headers.ContentSecurityPolicy = TimelinePage.ContentSecurityPolicy;
        return await trace.Timeline(assetId.Value, ct) is { } t
            ? TypedResults.Content(TimelinePage.Render(t), "text/html; charset=utf-8")
            : await Missing(assetId.Value, store, ct);
    }

    /// <summary>Not in the read models: unknown (404), or so new that the projector has not reached it (503, retry).</summary>
    static async Task<ProblemHttpResult> Missing(AssetId id, IEventStore store, CancellationToken ct) =>
        (await store.ReadStream(id.StreamId, 1, 1, ct)).Count > 0
            ? P.From(ResourceErrors.NotYetProjected(id))
            : P.From(AssetErrors.NotFound(id));

    static async Task<Results<Ok<TracePage>, ProblemHttpResult>> Search([AsParameters] TraceSearchRequest request, TraceQueries trace, CancellationToken ct)
    {
        var search = request.ToSearch();
        if (search.Error is { } invalid) return P.From(invalid);
        if (QueryRules.PageSize(request.Limit, TraceQueries.MaxLimit) is { } badLimit) return P.From(badLimit);
        try
        {
            return TypedResults.Ok(await trace.Search(search.Value!, request.Cursor, request.Limit ?? 50, ct));
        }
        catch (InvalidCursorException e) { return P.From(RequestErrors.InvalidCursor(e.Message)); }
    }

    static async Task<Results<Ok<Holdings>, ProblemHttpResult>> Holdings(
        string id, string? asOf, [OneOf(typeof(HoldingRelation))] string? relation, string? cursor, [Range(1, HoldingsQueries.MaxLimit)] int? limit,
        HoldingsQueries holdings, CancellationToken ct)
    {
        if (!ParticipantId.IsWellFormed(id)) return P.From(ResourceErrors.NotAParticipantId(id));
        if (QueryRules.PageSize(limit, HoldingsQueries.MaxLimit) is { } badLimit) return P.From(badLimit);
        var time = TraceParsing.Time(asOf, "asOf");
        if (time.Error is { } badTime) return P.From(badTime);
        HoldingRelation? only = null;
        if (relation is not null)
        {
            var r = TraceParsing.Enum<HoldingRelation>(relation, "relation");
            if (r.Error is { } badRelation) return P.From(badRelation);
            only = r.Value;
        }
        if (cursor is { Length: > 0 } && only is null) return P.From(RequestErrors.InvalidCursor("A cursor pages one list: give relation (Owned, HeldAsVenue, Confirmed or Frozen) with it.", "relation"));
        try
        {
            return await holdings.For(new ParticipantId(id), time.Value, only, cursor, limit ?? 50, ct) is { } h
                ? TypedResults.Ok(h)
                : P.From(ParticipantErrors.NotFound(new ParticipantId(id)));
        }
        catch (InvalidCursorException e) { return P.From(RequestErrors.InvalidCursor(e.Message)); }
    }
}
