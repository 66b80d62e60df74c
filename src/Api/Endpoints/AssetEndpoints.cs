using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Security;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Diagnostics;
using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Serialization;
using AssetLedger.Projections;
using AssetLedger.Projections.Assets;
using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>Reading assets: one asset and its history straight from its stream (never stale), lists from the read model.</summary>
public static class AssetEndpoints
{
    public static RouteGroupBuilder MapAssets(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/assets").WithTags("Assets").RequireAuthorization().WithReadProblems();
        g.MapGet("/", ListAssets).WithSummary("List assets from the read model, filtered, in registration order, paged with an opaque cursor");
        g.MapGet("/{id}", GetAsset).WithName("GetAsset").WithSummary("An asset's current state; the ETag is its version");
        g.MapGet("/{id}/history", GetHistory).WithSummary("Every event of an asset, oldest first, with actor, time and hash chain");
        return g;
    }

    public const int MaxPageSize = 500;

    /// <remarks>Filters arrive as strings so that a wrong value is a 400 naming the parameter, not a binding failure.</remarks>
    static async Task<Results<Ok<AssetPage>, ProblemHttpResult>> ListAssets(AssetQueries queries, HttpContext http, CancellationToken ct,
        [OneOf(typeof(AssetKind))] string? kind = null, [OneOf(typeof(AssetStatus))] string? status = null, [MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? ownerId = null,
        [MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? warehouseId = null, [MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? debtorId = null, [MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? venueId = null,
        [MaxLength(AssetLimits.Text)] string? commodity = null, [OneOf(typeof(AssetLock))] string? locked = null, string? parentId = null, string? cursor = null,
        [Range(1, MaxPageSize)] int? limit = null)
    {
        var kindFilter = OptionalEnum<AssetKind>(kind, "kind");
        var statusFilter = OptionalEnum<AssetStatus>(status, "status");
        var lockFilter = OptionalEnum<AssetLock>(locked, "locked");
        if ((kindFilter.Error ?? statusFilter.Error ?? lockFilter.Error) is { } bad) return P.From(RequestErrors.Malformed(bad.Field!, bad.Message));
        if (QueryRules.FirstOf(QueryRules.Participant(ownerId, "ownerId"), QueryRules.Participant(warehouseId, "warehouseId"), QueryRules.Participant(debtorId, "debtorId"),
                QueryRules.Participant(venueId, "venueId"), QueryRules.AssetText(commodity, "commodity")) is { } badFilter) return P.From(badFilter);
        Guid? parent = null;
        if (parentId is not null)
        {
            if (!AssetId.TryParse(parentId, out var p)) return P.From(RequestErrors.Malformed("parentId", "parentId is the 32-hex id of the receipt whose parts to list."));
            parent = p.Value;
        }
        var filter = new AssetFilter
        {
            ParentId = parent,
            Kind = kindFilter.Value, Status = statusFilter.Value, Locked = lockFilter.Value,
            OwnerId = ownerId, WarehouseId = warehouseId, DebtorId = debtorId, VenueId = venueId, Commodity = commodity,
            VisibleTo = http.User.ToActor(),
        };
        if (QueryRules.PageSize(limit, MaxPageSize) is { } badLimit) return P.From(badLimit);
        try
        {
            return TypedResults.Ok(await queries.List(filter, cursor, limit ?? 50, ct));
        }
        catch (InvalidCursorException)
        {
            return P.From(RequestErrors.InvalidCursor("cursor is not one this list handed out; start again without a cursor and follow nextCursor."));
        }
    }

    /// <summary>An absent filter is null; a present one must name a member, or its error names the parameter.</summary>
    static Result<T?> OptionalEnum<T>(string? text, string field) where T : struct, Enum
    {
        if (text is null) return Result<T?>.Of(null);
        var parsed = Contracts.RequestMapping.ParseEnum<T>(text, field);
        return parsed.Error is { } e ? e : Result<T?>.Of(parsed.Value);
    }

    /// <remarks>From this instance's view as of the round the session check waited for: a write answered before this request, by any instance, is in it.</remarks>
    static async Task<Results<Ok<AssetResource>, ProblemHttpResult>> GetAsset(string id, IEventStore store, CallerStreamView view, HttpContext http, CancellationToken ct)
    {
        var assetId = CommandServices.AssetIdOf(id);
        if (assetId.Error is { } bad) return P.From(bad);
        AssetState state;
        using (Stages.Start(Stages.ReadAsset)) state = await AssetStreams.Load(store, view, assetId.Value, ct);
        if (!AssetAccess.CanRead(http.User.ToActor(), state)) return P.From(ResourceErrors.AssetNotFound(id));
        http.Response.Headers.ETag = $"\"{state.Version}\"";
        return TypedResults.Ok(AssetResource.From(state));
    }

    static async Task<Results<Ok<IReadOnlyList<HistoryEntryView>>, ProblemHttpResult>> GetHistory(string id, IEventStore store, HttpContext http, CancellationToken ct)
    {
        var assetId = CommandServices.AssetIdOf(id);
        if (assetId.Error is { } bad) return P.From(bad);
        var events = await store.ReadStream(assetId.Value.StreamId, 1, 100_000, ct);
        var state = events.Aggregate(AssetState.Initial, (s, e) => AssetState.Evolve(s, (IAssetEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data)));
        if (!AssetAccess.CanRead(http.User.ToActor(), state)) return P.From(ResourceErrors.AssetNotFound(id));
        IReadOnlyList<HistoryEntryView> history = events.Select(e =>
        {
            using var data = JsonDocument.Parse(e.Data);
            return new HistoryEntryView(e.Version, e.Position, e.EventId, e.Type, EventMetadata.FromJson(e.Metadata).Participant, e.RecordedAt,
                e.Hash, e.PreviousHash, data.RootElement.Clone());
        }).ToList();
        return TypedResults.Ok(history);
    }
}
