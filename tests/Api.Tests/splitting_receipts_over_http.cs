using System.Net;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Evidence;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 17 item 1, split (拆分) over HTTP: a receipt becomes new receipts whose quantities sum exactly to it, written
/// with the parent's event in one transaction; the parts link to the parent and back, in the asset, the trace and the read model.
/// </summary>
public sealed class splitting_receipts_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static string S(JsonNode? n) => n!.GetValue<string>();

    [Fact]
    public async Task the_owner_splits_a_receipt_and_each_part_links_back_to_it()
    {
        var id = await Active(api);
        var number = S((await api.Get($"/api/v1/assets/{id}", "owner-a")).Json["receiptNumber"]);

        var split = await api.Post($"/api/v1/assets/{id}/splits", "owner-a", new { parts = new object[] { new { quantity = "1000.25" }, new { quantity = "200.25", receiptNumber = number + "-B" } } });

        Assert.True(split.Status == HttpStatusCode.Created, split.ToString());
        var parts = split.Json["parts"]!.AsArray().Select(p => S(p!["assetId"])).ToList();
        Assert.Equal(($"/api/v1/assets/{parts[0]}", "Split", 3), (split.Location, S(split.Json["status"]), split.Json["events"]!.AsArray().Count));
        var parent = (await api.Get($"/api/v1/assets/{id}", "owner-a")).Json;
        Assert.Equal(parts, parent["splitInto"]!.AsArray().Select(S));
        var a = (await api.Get($"/api/v1/assets/{parts[0]}", "owner-a")).Json;
        var b = (await api.Get($"/api/v1/assets/{parts[1]}", "owner-a")).Json;
        Assert.Equal(("Active", id, number + "-1", "1000.25", "bbl"), (S(a["status"]), S(a["parentId"]), S(a["receiptNumber"]), S(a["quantity"]!["value"]), S(a["quantity"]!["unit"])));
        Assert.Equal((number + "-B", "200.25"), (S(b["receiptNumber"]), S(b["quantity"]!["value"])));
        Assert.Equal(HttpStatusCode.Conflict, (await api.Post($"/api/v1/assets/{id}/releases", "wh-1", new { deliveryOrder = "DO-1", quantity = "1" })).Status);
        // A part lives on: its warehouse releases from it.
        await Ok(api.Post($"/api/v1/assets/{parts[1]}/releases", "wh-1", new { deliveryOrder = "DO-1", quantity = "0.25" }));

        await api.ProjectionsCaughtUp();
        var trace = (await api.Get($"/api/v1/trace/assets/{id}", "reg-1")).Json;
        Assert.Equal(parts, trace["splitInto"]!.AsArray().Select(S));
        Assert.Contains(trace["events"]!.AsArray(), e => S(e!["summary"]).StartsWith("Split by") && S(e["summary"]).Contains(number + "-B (200.25 bbl"));
        var child = (await api.Get($"/api/v1/trace/assets/{parts[0]}", "reg-1")).Json;
        Assert.Equal(id, S(child["parentId"]));
        Assert.StartsWith($"Split off from asset {id}", S(child["events"]![0]!["summary"]));

        // The read model links them both ways: the parts listed by their parent, and the parent's row naming them.
        var listed = (await Ok(api.Get($"/api/v1/assets?parentId={id}", "owner-a"))).Json["items"]!.AsArray();
        Assert.Equal(parts, listed.Select(p => S(p!["id"])));
        Assert.All(listed, p => Assert.Equal(id, S(p!["parentId"])));
        var row = (await Ok(api.Get($"/api/v1/assets?kind=WarehouseReceipt&status=Split&limit=500", "owner-a"))).Json["items"]!.AsArray().Single(p => S(p!["id"]) == id)!;
        Assert.Equal(parts, row["splitInto"]!.AsArray().Select(S));
        Assert.Null(row["parentId"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Get("/api/v1/assets?parentId=nope", "owner-a")).Status);
    }

    [Fact]
    public async Task a_pledged_receipt_is_split_by_the_bank_and_every_part_stays_pledged()
    {
        var id = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        object body = new { parts = new object[] { new { quantity = "600" }, new { quantity = "600.5" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Post($"/api/v1/assets/{id}/splits", "owner-a", body)).Status);

        var split = await api.Post($"/api/v1/assets/{id}/splits", "bank-1", body);

        Assert.True(split.Status == HttpStatusCode.Created, split.ToString());
        foreach (var part in split.Json["parts"]!.AsArray())
            Assert.Equal("bank-1", S((await api.Get($"/api/v1/assets/{S(part!["assetId"])}", "owner-a")).Json["custody"]!["venueId"]));
        Assert.Null((await api.Get($"/api/v1/assets/{id}", "owner-a")).Json["custody"]);
    }

    [Fact]
    public async Task a_parts_evidence_bundle_proves_its_parents_history_up_to_the_split()
    {
        var id = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        var split = await api.Post($"/api/v1/assets/{id}/splits", "bank-1", new { parts = new object[] { new { quantity = "0.5" }, new { quantity = "1200" } } });
        Assert.True(split.Status == HttpStatusCode.Created, split.ToString());
        var part = S(split.Json["parts"]![1]!["assetId"]);
        await Ok(api.Post($"/api/v1/assets/{part}/return", "bank-1", new { }));

        var zip = await Bundle(api, part, "owner-a");

        var report = Verify(zip);
        Assert.True(report.Ok, Describe(report));
        var lines = System.Text.Encoding.UTF8.GetString(Files(zip)["events.jsonl"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        // The parent's five events (registered, two confirmations, out, split), then the part's two, each proven in the checkpoint.
        Assert.Equal([$"asset-{id}", $"asset-{id}", $"asset-{id}", $"asset-{id}", $"asset-{id}", $"asset-{part}", $"asset-{part}"], lines.Select(l => S(l["envelope"]!["streamId"])));
        Assert.Equal(["asset-split", "asset-split-off", "asset-returned"], lines.Skip(4).Select(l => S(l["envelope"]!["type"])));
        Assert.Equal("2 assets replayed through the Domain reach the state in state.json", report.Checks.Single(c => c.Name == "replay").Summary);
        Assert.StartsWith("7 events of 2 assets", report.Checks.Single(c => c.Name == "rules").Summary);
    }

    [Fact]
    public async Task a_refused_split_writes_nothing_and_says_why()
    {
        var id = await Active(api);
        var number = S((await api.Get($"/api/v1/assets/{id}", "owner-a")).Json["receiptNumber"]);
        async Task Refused(string who, object body, HttpStatusCode status, string code)
        {
            var r = await api.Post($"/api/v1/assets/{id}/splits", who, body);
            Assert.True(r.Status == status, r.ToString());
            Assert.Equal("application/problem+json", r.ContentType);
            Assert.Equal(code, S(r.Json["code"]));
        }
        object Parts(string a, string b, string? numberA = null) => new { parts = new object[] { new { quantity = a, receiptNumber = numberA }, new { quantity = b } } };
        await Refused("owner-a", Parts("1000", "200.49"), HttpStatusCode.UnprocessableEntity, "asset.split_not_exact");
        await Refused("owner-a", new { parts = new object[] { new { quantity = "1200.5" } } }, HttpStatusCode.UnprocessableEntity, "asset.invalid");
        await Refused("owner-a", new { }, HttpStatusCode.UnprocessableEntity, "request.invalid");
        await Refused("wh-1", Parts("1000", "200.5"), HttpStatusCode.Forbidden, "asset.not_owner");
        await Refused("wh-2", Parts("1000", "200.5"), HttpStatusCode.NotFound, "asset.not_found");

        // A part's key already registered refuses the whole split: the parent is untouched, no part exists.
        var other = await api.Post("/api/v1/assets", "owner-a", Receipt(number + "-taken"));
        Assert.Equal(HttpStatusCode.Created, other.Status);
        await Refused("owner-a", Parts("1000", "200.5", numberA: number + "-taken"), HttpStatusCode.Conflict, "asset.key_taken");
        var parent = (await api.Get($"/api/v1/assets/{id}", "owner-a")).Json;
        Assert.Equal(("Active", 3L), (S(parent["status"]), parent["version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task the_same_idempotency_key_gives_the_same_split()
    {
        var id = await Active(api);
        object body = new { parts = new object[] { new { quantity = "1" }, new { quantity = "1199.5" } } };
        var first = await api.Post($"/api/v1/assets/{id}/splits", "owner-a", body, ("Idempotency-Key", $"split-{id}"));
        var again = await api.Post($"/api/v1/assets/{id}/splits", "owner-a", body, ("Idempotency-Key", $"split-{id}"));
        Assert.Equal((HttpStatusCode.Created, first.Body, true), (again.Status, again.Body, again.Replayed));
    }
}
