using System.Net;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.TraceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// A regulator's session answers the four questions for the README walk-through's receipt, one call each: where has it
/// been, who held it, is it pledged or frozen, and can I prove it. Then search, holdings, the public notice and the audit.
/// </summary>
public sealed class trace_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await Cast(api);
        await api.Participants(("bank-2", "FinancialInstitution"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    static string S(JsonNode? n) => n!.GetValue<string>();

    [Fact]
    public async Task a_timeline_with_its_proofs_is_one_exchange_with_postgresql()
    {
        var story = await ReadmeReceipt(api);
        await Settled(api);
        Assert.True(AssetLedger.Domain.Common.AssetId.TryParse(story.Id, out var id));
        // Npgsql reports each command it sends as an activity; those under this test's own activity are the timeline's.
        var sent = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var source = new System.Diagnostics.ActivitySource("trace-test");
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "trace-test",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = sent.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        AssetLedger.Projections.Trace.AssetTrace? trace;
        System.Diagnostics.ActivityTraceId mine;
        using (var root = source.StartActivity("timeline")!)
        {
            mine = root.TraceId;
            trace = await api.Service<AssetLedger.Projections.Trace.TraceQueries>().Timeline(id, CancellationToken.None);
        }
        Assert.NotNull(trace);
        Assert.Equal(11, trace.Events.Count);
        Assert.All(trace.Events, e => Assert.Equal(AssetLedger.Projections.Trace.ProofState.Anchored, e.Proof.State));
        var commands = sent.Where(a => a.Source.Name == "Npgsql" && a.TraceId == mine).ToList();
        // The rows, the participants they name, the ledger's proofs, the BEGIN and the COMMIT: one command, one round trip.
        Assert.Single(commands);
    }

    [Fact]
    public async Task a_timelines_statements_are_planned_once_per_connection_not_per_call()
    {
        var story = await ReadmeReceipt(api);
        await Settled(api);
        Assert.True(AssetLedger.Domain.Common.AssetId.TryParse(story.Id, out var id));
        // The service's settings on one connection, so every call below runs on it and its prepared statements can be read.
        await using var one = AssetLedger.Infrastructure.Tests.Support.PreparedPlans.OneConnection(api.ConnectionString);
        var queries = new AssetLedger.Projections.Trace.TraceQueries(one, api.Service<AssetLedger.Application.Ports.ILedgerStatus>(),
            new AssetLedger.Projections.Trace.TraceCache(0)); // keeps nothing, so every call reads the timeline whole
        // Npgsql prepares a statement after its fifth use; PostgreSQL then chooses a plan per call, custom for at least five.
        for (var i = 0; i < 12; i++) Assert.Equal(11, (await queries.Timeline(id, CancellationToken.None))!.Events.Count);
        var plans = await AssetLedger.Infrastructure.Tests.Support.PreparedPlans.Of(one, "%asset_history%");
        // The history, the participants it names and the ledger's proofs of its positions: each kept prepared, none re-planned.
        Assert.True(plans.Count >= 4, string.Join("\n", plans));
        Assert.All(plans, p => Assert.True(p.Custom == 0 && p.Generic > 0, $"{p.Custom} custom and {p.Generic} generic plans: {p.Statement}"));
    }

    [Fact]
    public async Task a_regulator_reads_the_whole_timeline_in_one_call_with_anchored_proofs()
    {
        var story = await ReadmeReceipt(api);
        await Settled(api);

        var r = await api.Get($"/api/v1/trace/assets/{story.Id}", "reg-1");
        Assert.True(r.Status == HttpStatusCode.OK, r.ToString());
        var events = Array(r, "events");
        string[] types = ["asset-registered", "asset-confirmed", "asset-confirmed", "asset-transferred-out", "asset-frozen", "asset-unfrozen",
            "asset-returned", "evidence-attached", "asset-transfer-offered", "asset-transferred", "asset-cancelled"];
        Assert.Equal(types, events.Select(e => S(e!["type"])));
        // Who did it, as what; the hash chain; the proof of every event.
        Assert.Equal("owner-a Co., Ltd.", S(events[0]!["actor"]!["name"]));
        Assert.Equal("Warehouse", S(events[1]!["actor"]!["actingAs"]));
        Assert.Equal("Venue", S(events[6]!["actor"]!["actingAs"]));
        Assert.Equal("Regulator", S(events[4]!["actor"]!["actingAs"]));
        Assert.Contains("bank-1 Co., Ltd. (bank-1) for Financing", S(events[3]!["summary"]));
        for (var i = 1; i < events.Count; i++) Assert.Equal(S(events[i - 1]!["hash"]), S(events[i]!["previousHash"]));
        foreach (var e in events)
        {
            Assert.Equal("Anchored", S(e!["proof"]!["state"]));
            Assert.True(e["proof"]!["checkpoint"]!.GetValue<long>() >= e["position"]!.GetValue<long>());
            Assert.Equal("local", S(e["proof"]!["anchors"]![0]!["anchor"]));
        }
        // Who held it: the ownership chain with periods, and custody at the bank.
        var owners = Array(r, "ownership");
        Assert.Equal(["owner-a", "buyer-b"], owners.Select(o => S(o!["owner"]!["id"])));
        Assert.Equal(owners[0]!["to"]!.ToJsonString(), owners[1]!["from"]!.ToJsonString());
        Assert.Null(owners[1]!["to"]);
        var locks = Array(r, "locks");
        var custody = locks.Single(l => S(l!["kind"]) == "Custody")!;
        Assert.Equal(("owner-a", "bank-1", "bank-1", "Returned"), (S(custody["placedBy"]!["id"]), S(custody["counterparty"]!["id"]), S(custody["liftedBy"]!["id"]), S(custody["liftedHow"])));
        var freeze = locks.Single(l => S(l!["kind"]) == "Freeze")!;
        Assert.Equal(("reg-1", "reg-1", "Judicial"), (S(freeze["placedBy"]!["id"]), S(freeze["liftedBy"]!["id"]), S(freeze["authority"])));
        Assert.Equal("weighbridge reading", S(Array(r, "evidence").Single()!["description"]));
        Assert.Equal(2, Array(r, "confirmations").Count);
        Assert.Equal("Cancelled", S(r.Json["asset"]!["status"]));
        Assert.True(r.Json["snapshot"]!["projectedThrough"]!.GetValue<long>() >= events[^1]!["position"]!.GetValue<long>());
    }

    [Fact]
    public async Task a_regulator_checks_pledges_and_freezes_and_holdings_as_of_a_past_time()
    {
        var story = await ReadmeReceipt(api, cancel: false);
        await Settled(api, anchored: false);

        var notice = await api.Get($"/api/v1/registry/encumbrances?warehouseId=wh-1&receiptNumber={story.ReceiptNumber}", "reg-1");
        Assert.True(notice.Status == HttpStatusCode.OK, notice.ToString());
        Assert.True(notice.Json["found"]!.GetValue<bool>());
        Assert.Equal("Active", S(notice.Json["asset"]!["status"]));
        Assert.Empty(Array(notice, "openLocks"));

        var before = await api.Get($"/api/v1/trace/participants/owner-a/holdings?asOf={story.BeforeSale.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}", "reg-1");
        Assert.True(before.Status == HttpStatusCode.OK, before.ToString());
        Assert.Contains(story.Id, before.Json["owned"]!["items"]!.AsArray().Select(i => S(i!["assetId"])));
        var after = await api.Get("/api/v1/trace/participants/owner-a/holdings", "reg-1");
        Assert.DoesNotContain(story.Id, after.Json["owned"]!["items"]!.AsArray().Select(i => S(i!["assetId"])));
        var buyer = await api.Get("/api/v1/trace/participants/buyer-b/holdings?relation=Owned", "reg-1");
        var held = buyer.Json["owned"]!["items"]!.AsArray().Single(i => S(i!["assetId"]) == story.Id)!;
        Assert.Equal(("Active", "buyer-b"), (S(held["state"]!["status"]), S(held["state"]!["ownerId"])));
        Assert.Null(buyer.Json["confirmed"]);

        var bankThen = await api.Get($"/api/v1/trace/participants/bank-1/holdings?asOf={story.DuringPledge.UtcDateTime:O}", "reg-1");
        var pledged = bankThen.Json["heldAsVenue"]!["items"]!.AsArray().Single(i => S(i!["assetId"]) == story.Id)!;
        Assert.Equal(("Financing", true), (S(pledged["detail"]), pledged["state"]!["out"]!.GetValue<bool>()));
        var bankNow = await api.Get("/api/v1/trace/participants/bank-1/holdings", "reg-1");
        Assert.DoesNotContain(story.Id, bankNow.Json["heldAsVenue"]!["items"]!.AsArray().Select(i => S(i!["assetId"])));
        var confirmer = await api.Get("/api/v1/trace/participants/tc-1/holdings?relation=Confirmed", "operator");
        Assert.Contains(story.Id, confirmer.Json["confirmed"]!["items"]!.AsArray().Select(i => S(i!["assetId"])));
    }

    [Fact]
    public async Task the_public_notice_shows_open_locks_to_anyone_but_owner_and_amounts_only_to_those_who_may_see_them()
    {
        var id = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await Ok(api.Post($"/api/v1/assets/{id}/freeze", "reg-1", new { reason = "court order 42", authority = "Judicial" }));
        await Settled(api, anchored: false);
        var key = S((await api.Get($"/api/v1/trace/assets/{id}", "reg-1")).Json["asset"]!["naturalKey"]);

        var stranger = await api.Get($"/api/v1/registry/encumbrances?key={Uri.EscapeDataString(key)}", "bank-2");
        Assert.True(stranger.Status == HttpStatusCode.OK, stranger.ToString());
        Assert.Equal("Public", S(stranger.Json["disclosure"]));
        var locks = Array(stranger, "openLocks");
        Assert.Equal(["Custody", "Freeze"], locks.Select(l => S(l!["kind"])));
        Assert.Equal(("bank-1", "Financing"), (S(locks[0]!["heldBy"]!["id"]), S(locks[0]!["purpose"])));
        Assert.StartsWith("Pledged for financing at bank-1 Co., Ltd. (bank-1) since ", S(locks[0]!["statement"]));
        Assert.Equal(("reg-1", "Judicial"), (S(locks[1]!["heldBy"]!["id"]), S(locks[1]!["authority"])));
        Assert.Null(locks[1]!["reason"]);
        Assert.Null(stranger.Json["asset"]!["owner"]);
        Assert.Null(stranger.Json["asset"]!["quantity"]);
        Assert.DoesNotContain("owner-a", stranger.Body);
        // Issue 14 item 10: the asset's id is not revealed to a caller who may not see the asset.
        Assert.Null(stranger.Json["asset"]!["id"]);
        Assert.DoesNotContain(id, stranger.Body);
        Assert.DoesNotContain("1200.5", stranger.Body);
        Assert.Equal(S(stranger.Json["searchReference"]), (await api.Get("/api/v1/audit/access?participantId=bank-2&limit=1", "reg-1")).Json["items"]![0]!["id"]!.GetValue<string>());

        foreach (var insider in new[] { "owner-a", "wh-1", "bank-1", "reg-1" })
        {
            var full = await api.Get($"/api/v1/registry/encumbrances?key={Uri.EscapeDataString(key)}", insider);
            Assert.True(S(full.Json["disclosure"]) == "Full", $"{insider}: {full}");
            Assert.Equal(("owner-a", "1200.5"), (S(full.Json["asset"]!["owner"]!["id"]), S(full.Json["asset"]!["quantity"])));
            Assert.Equal(id, S(full.Json["asset"]!["id"]));
            Assert.Equal("court order 42", S(full.Json["openLocks"]![1]!["reason"]));
        }

        var none = await api.Get("/api/v1/registry/encumbrances?warehouseId=wh-1&receiptNumber=NO-SUCH-RECEIPT", "bank-2");
        Assert.False(none.Json["found"]!.GetValue<bool>());
        Assert.Equal("receipt:wh-1:NO-SUCH-RECEIPT", S(none.Json["key"]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.Get("/api/v1/registry/encumbrances?key=car:123", "bank-2")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.Get("/api/v1/registry/encumbrances", "bank-2")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Get($"/api/v1/registry/encumbrances?key={Uri.EscapeDataString(key)}", null)).Status);
    }

    [Fact]
    public async Task search_filters_pages_newest_change_first_and_finds_free_text()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await Active(api));
        await Ok(api.Post($"/api/v1/assets/{ids[1]}/freeze", "reg-1", new { reason = "check" }));
        var receivable = await api.Post("/api/v1/assets", "owner-a", new { kind = "Receivable", ownerId = "owner-a", debtorId = "debtor-1", billNumber = "INV-SEARCH-778899", amount = "5000", currency = "CNY", dueDate = "2027-01-31" });
        await Settled(api, anchored: false);

        var frozen = await api.Get("/api/v1/trace/search?lock=frozen&ownerId=owner-a", "reg-1");
        Assert.True(frozen.Status == HttpStatusCode.OK, frozen.ToString());
        Assert.Contains(ids[1], Array(frozen, "items").Select(i => S(i!["id"])));
        Assert.All(Array(frozen, "items"), i => Assert.True(i!["frozen"]!.GetValue<bool>()));

        var text = await api.Get("/api/v1/trace/search?q=search-7788", "operator");
        Assert.Equal(S(receivable.Json["assetId"]), S(Array(text, "items").Single()!["id"]));
        Assert.Equal("owner-a Co., Ltd.", S(Array(text, "items")[0]!["ownerName"]));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.Get($"/api/v1/trace/search?kind=WarehouseReceipt&warehouseId=wh-1&status=Active&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", "reg-1");
            Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
            seen.AddRange(Array(page, "items").Select(i => S(i!["id"])));
            cursor = page.Json["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), ids.ToHashSet()); // ids ⊆ seen
        Assert.Equal(ids[1], seen[0]); // the freeze is the newest change

        var recent = await api.Get($"/api/v1/trace/search?changedFrom={DateTimeOffset.UtcNow.AddMinutes(-5):yyyy-MM-ddTHH:mm:ssZ}&registeredTo=2999-01-01", "reg-1");
        Assert.Subset(Array(recent, "items").Select(i => S(i!["id"])).ToHashSet(), ids.ToHashSet());
        var old = await api.Get("/api/v1/trace/search?changedTo=2000-01-01", "reg-1");
        Assert.Empty(Array(old, "items"));
    }

    [Fact]
    public async Task free_text_paged_a_few_at_a_time_gives_the_same_assets_in_the_same_order_as_one_page()
    {
        // Small pages are answered from the newest assets when a page of matches is there, the last one from the whole table:
        // together they must be exactly the one-page answer, newest change first.
        var tag = $"FT{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        foreach (var number in Enumerable.Range(0, 7).Select(i => $"{tag}-{i}").Append($"OTHER-{Guid.NewGuid():N}"))
            Assert.Equal(HttpStatusCode.Created, (await api.Post("/api/v1/assets", "owner-a", Receipt(number))).Status);
        await Settled(api, anchored: false);

        var whole = Array(await api.Get($"/api/v1/trace/search?q={tag}&limit=500", "reg-1"), "items").Select(i => S(i!["receiptNumber"])).ToList();
        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"{tag}-{i}"), whole);
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.Get($"/api/v1/trace/search?q={tag}&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", "reg-1");
            Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
            paged.AddRange(Array(page, "items").Select(i => S(i!["receiptNumber"])));
            cursor = page.Json["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);
        Assert.Equal(whole, paged);
    }

    [Theory]
    [InlineData("/api/v1/trace/search?kind=Car", HttpStatusCode.UnprocessableEntity, "kind")]
    [InlineData("/api/v1/trace/search?lock=1", HttpStatusCode.UnprocessableEntity, "lock")]
    [InlineData("/api/v1/trace/search?q=ab", HttpStatusCode.UnprocessableEntity, "q")]
    [InlineData("/api/v1/trace/search?changedFrom=yesterday", HttpStatusCode.UnprocessableEntity, "changedFrom")]
    [InlineData("/api/v1/trace/search?ownerId=Robert'); DROP TABLE assets;--", HttpStatusCode.UnprocessableEntity, "ownerId")]
    [InlineData("/api/v1/trace/search?cursor=bm9wZQ", HttpStatusCode.BadRequest, "cursor")]
    [InlineData("/api/v1/trace/participants/owner-a/holdings?cursor=abc", HttpStatusCode.BadRequest, "relation")]
    [InlineData("/api/v1/trace/participants/owner-a/holdings?relation=Owned&cursor=abc", HttpStatusCode.BadRequest, "cursor")]
    [InlineData("/api/v1/trace/participants/owner-a/holdings?asOf=31/12/2026", HttpStatusCode.UnprocessableEntity, "asOf")]
    [InlineData("/api/v1/trace/participants/nobody/holdings", HttpStatusCode.NotFound, null)]
    [InlineData("/api/v1/trace/assets/0193a5f0000070008000000000000001", HttpStatusCode.NotFound, null)]
    [InlineData("/api/v1/trace/assets/not-an-id/timeline.html", HttpStatusCode.NotFound, null)]
    [InlineData("/api/v1/audit/access?cursor=zzz", HttpStatusCode.BadRequest, "cursor")]
    [InlineData("/api/v1/audit/access?from=soon", HttpStatusCode.UnprocessableEntity, "from")]
    public async Task bad_trace_queries_are_problems_naming_the_field(string path, HttpStatusCode status, string? field)
    {
        var r = await api.Get(path, "reg-1");
        Assert.True(r.Status == status, r.ToString());
        Assert.Equal("application/problem+json", r.ContentType);
        if (field is not null) Assert.Equal(field, S(r.Json["field"]));
        Assert.Equal(1, await api.Scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'assets'"));
    }

    [Theory]
    [InlineData("/api/v1/trace/search")]
    [InlineData("/api/v1/trace/participants/owner-a/holdings")]
    [InlineData("/api/v1/audit/access")]
    public async Task trace_and_audit_are_for_regulators_and_the_operator_only(string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Get(path, null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Get(path, "owner-a")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Get(path, "bank-1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Get(path, "reg-1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Get(path, "operator")).Status);
    }

    [Fact]
    public async Task every_trace_and_registry_call_is_in_the_append_only_access_audit()
    {
        var id = await Active(api);
        await Settled(api, anchored: false);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await api.Participants(("reg-audit", "Regulator"));
        var calls = new[]
        {
            $"/api/v1/trace/assets/{id}", $"/api/v1/trace/assets/{id}/timeline.html", "/api/v1/trace/search?status=Active&limit=3",
            "/api/v1/trace/participants/owner-a/holdings", "/api/v1/trace/assets/00000000000000000000000000000042",
        };
        var answers = new List<Reply>();
        foreach (var c in calls) answers.Add(await api.Get(c, "reg-audit"));
        answers.Add(await api.Get($"/api/v1/registry/encumbrances?warehouseId=wh-1&receiptNumber=none", "reg-audit"));

        var all = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await api.Get($"/api/v1/audit/access?participantId=reg-audit&from={since:yyyy-MM-ddTHH:mm:ssZ}&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", "operator");
            Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
            all.AddRange(Array(page, "items").Select(i => i!));
            cursor = page.Json["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);
        all.Reverse();
        Assert.Equal(6, all.Count);
        Assert.Equal(calls.Select(c => c.Split('?')[0]).Append("/api/v1/registry/encumbrances"), all.Select(a => S(a["path"])));
        Assert.Equal([200, 200, 200, 200, 404, 200], all.Select(a => a["status"]!.GetValue<int>()));
        Assert.Equal($"asset:{id}", S(all[0]["resource"]));
        Assert.Equal("participant:owner-a", S(all[3]["resource"]));
        Assert.Equal("key:receipt:wh-1:none", S(all[5]["resource"]));
        Assert.Equal("status=Active&limit=3", S(all[2]["query"]));
        Assert.Equal(["Regulator"], all[0]["roles"]!.AsArray().Select(r => S(r)));
        Assert.All(all, a => Assert.Equal("reg-audit", S(a["participantId"])));
        Assert.Equal(await api.Scalar("SELECT count(*) FROM access_audit WHERE participant_id = 'reg-audit'"), all.Count);

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => api.Scalar("UPDATE access_audit SET status = 200 WHERE status = 404"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => api.Scalar("DELETE FROM access_audit"));
        Assert.Equal(404, await api.Scalar("SELECT status FROM access_audit WHERE participant_id = 'reg-audit' AND path LIKE '%0042'"));
    }
}
