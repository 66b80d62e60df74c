using AssetLedger.Api.Hosting;
using System.Text.Json;
using AssetLedger.Api.Contracts;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>Reading assets: one asset and its history straight from its stream (never stale), lists from the read model.</summary>
public static class AssetEndpoints
{
    public static RouteGroupBuilder MapAssets(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/assets").WithTags("Assets").RequireAuthorization().WithReadProblems();
        g.MapGet("/{id}", GetAsset).WithName("GetAsset").WithSummary("An asset's current state; the ETag is its version");
        g.MapGet("/{id}/history", GetHistory).WithSummary("Every event of an asset, oldest first, with actor, time and hash chain");
        return g;
    }

    static async Task<Results<Ok<AssetResource>, ProblemHttpResult>> GetAsset(string id, IEventStore store, HttpContext http, CancellationToken ct)
    {
        var assetId = CommandServices.AssetIdOf(id);
        if (assetId.Error is { } bad) return P.From(bad);
        var state = await AssetStreams.Load(store, assetId.Value, ct);
        if (!state.Exists) return P.Create(404, "asset.not_found", $"Asset {id} does not exist.");
        http.Response.Headers.ETag = $"\"{state.Version}\"";
        return TypedResults.Ok(AssetResource.From(state));
    }

    static async Task<Results<Ok<IReadOnlyList<HistoryEntryView>>, ProblemHttpResult>> GetHistory(string id, IEventStore store, CancellationToken ct)
    {
        var assetId = CommandServices.AssetIdOf(id);
        if (assetId.Error is { } bad) return P.From(bad);
        var events = await store.ReadStream(assetId.Value.StreamId, 1, 100_000, ct);
        if (events.Count == 0) return P.Create(404, "asset.not_found", $"Asset {id} does not exist.");
        IReadOnlyList<HistoryEntryView> history = events.Select(e =>
        {
            using var data = JsonDocument.Parse(e.Data);
            return new HistoryEntryView(e.Version, e.Position, e.EventId, e.Type, EventMetadata.FromJson(e.Metadata).Participant, e.RecordedAt,
                e.Hash, e.PreviousHash, data.RootElement.Clone());
        }).ToList();
        return TypedResults.Ok(history);
    }
}
