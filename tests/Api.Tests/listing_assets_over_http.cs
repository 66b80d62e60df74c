using System.Net;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>GET /api/v1/assets: the read model, filtered and paged with a cursor.</summary>
public sealed class listing_assets_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<List<string>> All(string query, int limit)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.Get($"/api/v1/assets?{query}&limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), "reg-1");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            ids.AddRange(page.Json["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            cursor = page.Json["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);
        return ids;
    }

    [Fact]
    public async Task filters_narrow_the_list_to_matching_assets()
    {
        var pending = await Pending(api);
        var active = await Active(api);
        var pledged = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{pledged}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await api.ProjectionsCaughtUp();

        Assert.Contains(pending, await All("status=Pending", 100));
        Assert.DoesNotContain(active, await All("status=Pending", 100));
        var out1 = await All("locked=Out&venueId=bank-1", 100);
        Assert.Contains(pledged, out1);
        Assert.DoesNotContain(active, out1);
        Assert.Contains(active, await All("kind=WarehouseReceipt&ownerId=owner-a&warehouseId=wh-1&commodity=crude%20oil", 100));
        Assert.Empty(await All("ownerId=nobody", 100));
    }

    [Fact]
    public async Task paging_while_assets_are_being_registered_neither_repeats_nor_skips()
    {
        var before = new List<string>();
        for (var i = 0; i < 25; i++) before.Add(await Pending(api));
        await api.ProjectionsCaughtUp();

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () => { while (!stop.IsCancellationRequested) await Pending(api); });
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.Get("/api/v1/assets?ownerId=owner-a&limit=4" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), "reg-1");
            seen.AddRange(page.Json["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            cursor = page.Json["nextCursor"]?.GetValue<string>();
            await Task.Delay(10);
        } while (cursor is not null && seen.Count < 400);
        await stop.CancelAsync();
        await writer;

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(before, id => Assert.Contains(id, seen));
    }

    [Theory]
    [InlineData("/api/v1/assets?kind=Car", "request.invalid")]
    [InlineData("/api/v1/assets?status=Lost", "request.invalid")]
    [InlineData("/api/v1/assets?locked=Maybe", "request.invalid")]
    [InlineData("/api/v1/assets?limit=0", "request.invalid")]
    [InlineData("/api/v1/assets?limit=100000", "request.invalid")]
    [InlineData("/api/v1/assets?cursor=not-a-cursor", "request.invalid_cursor")]
    [InlineData("/api/v1/assets?cursor=%27%3B%20DROP%20TABLE%20assets%3B--", "request.invalid_cursor")]
    public async Task bad_list_parameters_are_400(string path, string code)
    {
        var r = await api.Get(path, "reg-1");
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal(code, r.Code);
    }

    [Fact]
    public async Task injection_in_filters_changes_nothing_and_finds_nothing()
    {
        await Pending(api);
        await api.ProjectionsCaughtUp();
        var before = await api.Scalar("SELECT count(*) FROM assets");
        // A filter that cannot be a participant id is refused by its shape, before any query runs.
        var refused = await api.Get("/api/v1/assets?ownerId=" + Uri.EscapeDataString("owner-a' OR '1'='1"), "owner-a");
        Assert.Equal((HttpStatusCode.BadRequest, "ownerId"), (refused.Status, refused.Json["field"]?.GetValue<string>()));
        Assert.Empty(await All("commodity=" + Uri.EscapeDataString("x'; DELETE FROM assets; --"), 50));
        Assert.Equal(before, await api.Scalar("SELECT count(*) FROM assets"));
    }
}
