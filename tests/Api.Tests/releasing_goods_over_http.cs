using System.Net;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 17 item 2, part delivery (部分提货) over HTTP: the warehouse releases part of a receipt's goods against a
/// delivery order; while the receipt is pledged at a bank the warehouse only asks and the bank consents; a release to
/// zero ends the receipt and the bank's custody. The read model, the trace and the asset agree; outsiders learn nothing.
/// </summary>
public sealed class releasing_goods_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static string S(JsonNode? n) => n!.GetValue<string>();

    [Fact]
    public async Task the_warehouse_releases_part_then_the_bank_consents_then_the_rest_ends_the_receipt()
    {
        var id = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{id}/releases", "wh-1", new { deliveryOrder = "DO-1", quantity = "200.25" }));
        Assert.Equal("1000.25", S((await api.Get($"/api/v1/assets/{id}", "owner-a")).Json["quantity"]!["value"]));

        await Ok(api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await Ok(api.Post($"/api/v1/assets/{id}/releases", "wh-1", new { deliveryOrder = "DO-2", quantity = "0.25", unit = "bbl" }));
        var pending = (await api.Get($"/api/v1/assets/{id}", "bank-1")).Json;
        Assert.Equal(("DO-2", "0.25", "wh-1"), (S(pending["pendingRelease"]!["deliveryOrder"]), S(pending["pendingRelease"]!["quantity"]), S(pending["pendingRelease"]!["requestedBy"])));
        Assert.Equal("1000.25", S(pending["quantity"]!["value"]));

        // Only the bank answers; the owner cannot.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Post($"/api/v1/assets/{id}/releases/answer", "owner-a", new { consent = true })).Status);
        await Ok(api.Post($"/api/v1/assets/{id}/releases/answer", "bank-1", new { consent = true, comment = "partial repayment received" }));
        Assert.Equal("1000", S((await api.Get($"/api/v1/assets/{id}", "owner-a")).Json["quantity"]!["value"]));

        // The bank releases the rest itself: the receipt ends, and with it the bank's custody.
        var last = await Ok(api.Post($"/api/v1/assets/{id}/releases", "bank-1", new { deliveryOrder = "DO-3", quantity = "1000" }));
        Assert.Equal("Released", S(last.Json["status"]));
        var ended = (await api.Get($"/api/v1/assets/{id}", "owner-a")).Json;
        Assert.Equal(("Released", "0"), (S(ended["status"]), S(ended["quantity"]!["value"])));
        Assert.Null(ended["custody"]);
        Assert.Equal(HttpStatusCode.Conflict, (await api.Post($"/api/v1/assets/{id}/releases", "wh-1", new { deliveryOrder = "DO-4", quantity = "1" })).Status);

        await api.ProjectionsCaughtUp();
        var row = (await api.Get($"/api/v1/assets?status=Released&limit=100", "reg-1")).Json["items"]!.AsArray().Single(i => S(i!["id"]) == id)!;
        Assert.Equal("0", S(row["quantity"]));
        var trace = (await api.Get($"/api/v1/trace/assets/{id}", "reg-1")).Json;
        var summaries = trace["events"]!.AsArray().Select(e => S(e!["summary"])).ToList();
        Assert.Contains(summaries, t => t.Contains("200.25 bbl released against delivery order DO-1") && t.Contains("1000.25 bbl remain"));
        Assert.Contains(summaries, t => t.Contains("0.25 bbl released against delivery order DO-2") && t.Contains("with the consent of bank-1"));
        Assert.Contains(summaries, t => t.Contains("nothing remains and the receipt ends"));
        var custody = trace["locks"]!.AsArray().Single(l => S(l!["kind"]) == "Custody")!;
        Assert.Equal(("bank-1", "Released"), (S(custody["liftedBy"]!["id"]), S(custody["liftedHow"])));
    }

    [Fact]
    public async Task a_refused_release_changes_nothing_and_says_why()
    {
        var id = await Active(api);
        var version = (await api.Get($"/api/v1/assets/{id}", "owner-a")).Json["version"]!.GetValue<long>();
        async Task Refused(string who, object body, HttpStatusCode status, string code)
        {
            var r = await api.Post($"/api/v1/assets/{id}/releases", who, body);
            Assert.True(r.Status == status, r.ToString());
            Assert.Equal("application/problem+json", r.ContentType);
            Assert.Equal(code, S(r.Json["code"]));
        }
        await Refused("wh-1", new { deliveryOrder = "DO-1", quantity = "1200.51" }, HttpStatusCode.Conflict, "asset.release_exceeds_quantity");
        await Refused("wh-1", new { deliveryOrder = "DO-1", quantity = "1", unit = "t" }, HttpStatusCode.UnprocessableEntity, "asset.invalid");
        await Refused("wh-1", new { deliveryOrder = "", quantity = "1" }, HttpStatusCode.UnprocessableEntity, "asset.invalid");
        await Refused("wh-1", new { deliveryOrder = "DO-1", quantity = "-1" }, HttpStatusCode.UnprocessableEntity, "asset.invalid");
        await Refused("owner-a", new { deliveryOrder = "DO-1", quantity = "1" }, HttpStatusCode.Forbidden, "asset.not_permitted");
        await Refused("wh-2", new { deliveryOrder = "DO-1", quantity = "1" }, HttpStatusCode.NotFound, "asset.not_found");
        var answer = await api.Post($"/api/v1/assets/{id}/releases/answer", "wh-1", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("consent", S(answer.Json["field"]));
        Assert.Equal(version, (await api.Get($"/api/v1/assets/{id}", "owner-a")).Json["version"]!.GetValue<long>());
    }
}
