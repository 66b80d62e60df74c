using System.Net;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Notices;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 19 item 4: a participant's system sends a signed notice and it becomes that participant's own command,
/// decided by the same decider with the same authorisation; a forged, stale, replayed or unmappable notice is refused
/// and changes nothing.
/// </summary>
public sealed class inbound_notices(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await Cast(api);
        foreach (var p in new[] { "owner-a", "wh-1", "wh-2", "tc-1", "bank-1", "reg-1" })
            _secrets[p] = await RegisterSecret(api, p);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    readonly Dictionary<string, string> _secrets = [];

    static string S(JsonNode? n) => n!.GetValue<string>();

    Task<long> Version(string asset) => api.Scalar($"SELECT coalesce(max(version), 0) FROM events WHERE stream_id = 'asset-{asset}'");

    Task<long> Events() => api.Scalar("SELECT count(*) FROM events");

    /// <summary>The stream's last event: its type, its data without the asset id and time, and the participant in its metadata.</summary>
    async Task<string> LastEvent(string asset) => await api.Text(
        $"SELECT type || ' ' || (data - 'asset' - 'at')::text || ' ' || (metadata->>'participant') FROM events WHERE stream_id = 'asset-{asset}' ORDER BY version DESC LIMIT 1");

    [Fact]
    public async Task a_wms_notice_releasing_goods_produces_the_events_the_same_command_over_the_api_does()
    {
        var byHand = await Active(api);
        var byNotice = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{byHand}/releases", "wh-1", new { deliveryOrder = "DO-7", quantity = "200.5" }));

        var r = await Send(api, "wms", Body("wh-1", "goods-released", new { assetId = byNotice, deliveryOrder = "DO-7", quantity = "200.5" }), _secrets["wh-1"]);

        Assert.True(r.Status == HttpStatusCode.OK, r.ToString());
        Assert.Equal(await LastEvent(byHand), await LastEvent(byNotice));
        Assert.Contains("asset-goods-released", await LastEvent(byNotice));
        Assert.Equal("1000", S((await api.Get($"/api/v1/assets/{byNotice}", "owner-a")).Json["quantity"]!["value"]));
    }

    [Fact]
    public async Task each_notice_type_becomes_the_command_of_its_participant()
    {
        var received = await Send(api, "wms", Body("wh-1", "goods-received", new { ownerId = "owner-a", receiptNumber = $"WR-{Guid.NewGuid():N}", commodity = "copper", quantity = "25", unit = "t" }), _secrets["wh-1"]);
        Assert.True(received.Status == HttpStatusCode.Created, received.ToString());
        var filed = S(received.Json["assetId"]);
        var receipt = (await api.Get($"/api/v1/assets/{filed}", "owner-a")).Json;
        Assert.Equal(("wh-1", "owner-a", "25"), (S(receipt["warehouseId"]), S(receipt["ownerId"]), S(receipt["quantity"]!["value"])));
        Assert.Matches("^asset-registered .*\"by\": \"wh-1\".* wh-1$", await LastEvent(filed));
        // A recount amends the receipt, which only its owner may do (here one that runs its own stock system).
        var counted = await Active(api);
        var recounted = await Send(api, "wms", Body("owner-a", "goods-received", new { assetId = counted, quantity = "1200.25", unit = "bbl" }), _secrets["owner-a"]);
        Assert.True(recounted.Status == HttpStatusCode.OK, recounted.ToString());
        Assert.StartsWith("asset-amended", await LastEvent(counted));

        var traded = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{traded}/transfer-out", "owner-a", new { venueId = "tc-1", purpose = "Trade" }));
        Assert.Equal(HttpStatusCode.OK, (await Send(api, "trading", Body("tc-1", "trade-matched", new { assetId = traded, buyerId = "buyer-b" }), _secrets["tc-1"])).Status);
        Assert.Equal("buyer-b", S((await api.Get($"/api/v1/assets/{traded}", "buyer-b")).Json["ownerId"]));

        var pledged = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{pledged}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        Assert.Equal(HttpStatusCode.OK, (await Send(api, "bank", Body("bank-1", "loan-repaid", new { assetId = pledged }), _secrets["bank-1"])).Status);
        Assert.StartsWith("asset-returned", await LastEvent(pledged));

        var frozen = await Active(api);
        Assert.Equal(HttpStatusCode.OK, (await Send(api, "regulator", Body("reg-1", "court-order", new { assetId = frozen, orderId = "CO-2026-17", reason = "attachment" }), _secrets["reg-1"])).Status);
        Assert.Equal("CO-2026-17", S((await api.Get($"/api/v1/assets/{frozen}", "reg-1")).Json["freezes"]![0]!["freezeId"]));

        var emptied = await Active(api);
        Assert.Equal(HttpStatusCode.OK, (await Send(api, "wms", Body("wh-1", "goods-released", new { assetId = emptied, deliveryOrder = "DO-9", complete = true }), _secrets["wh-1"])).Status);
        Assert.StartsWith("asset-cancelled", await LastEvent(emptied));
    }

    [Fact]
    public async Task a_forged_a_stale_a_replayed_and_an_unmappable_notice_are_refused_and_change_nothing()
    {
        var id = await Active(api);
        var body = Body("wh-1", "goods-released", new { assetId = id, deliveryOrder = "DO-1", quantity = "1" });
        var before = (await Version(id), await Events());
        async Task Refused(Task<Reply> send, HttpStatusCode status, string code)
        {
            var r = await send;
            Assert.True(r.Status == status && r.Code == code, r.ToString());
            Assert.Equal(before, (await Version(id), await Events()));
        }

        await Refused(Send(api, "wms", body, _secrets["wh-2"]), HttpStatusCode.Unauthorized, "notice.signature_invalid");
        await Refused(Forge(body, "\"1\"", "\"2\""), HttpStatusCode.Unauthorized, "notice.signature_invalid");
        await Refused(Send(api, "wms", body.Replace("wh-1", "wh-9"), _secrets["wh-1"]), HttpStatusCode.Unauthorized, "notice.signature_invalid");
        await Refused(Send(api, "wms", body, _secrets["wh-1"], at: DateTimeOffset.UtcNow.AddMinutes(-10)), HttpStatusCode.Unauthorized, "notice.stale");
        await Refused(Send(api, "wms", body, _secrets["wh-1"], at: DateTimeOffset.UtcNow.AddMinutes(10)), HttpStatusCode.Unauthorized, "notice.stale");
        await Refused(Send(api, "wms", Body("wh-1", "goods-lost", new { assetId = id }), _secrets["wh-1"]), HttpStatusCode.UnprocessableEntity, "notice.unmappable");
        await Refused(Send(api, "wms", Body("wh-1", "goods-released", new { assetId = id, deliveryOrder = "DO-1" }), _secrets["wh-1"]), HttpStatusCode.UnprocessableEntity, "notice.unmappable");
        await Refused(Send(api, "bank", Body("wh-1", "goods-released", new { assetId = id, quantity = "1" }), _secrets["wh-1"]), HttpStatusCode.UnprocessableEntity, "notice.unmappable");
        await Refused(Send(api, "erp", body, _secrets["wh-1"]), HttpStatusCode.NotFound, "notice.unknown_system");

        // The same notice twice runs once and answers the first answer; the same id with another body is refused.
        var first = await Send(api, "wms", body, _secrets["wh-1"], id: "msg_replayed");
        Assert.True(first.Status == HttpStatusCode.OK, first.ToString());
        before = (await Version(id), await Events());
        var again = await Send(api, "wms", body, _secrets["wh-1"], id: "msg_replayed");
        Assert.Equal((first.Status, first.Body, true), (again.Status, again.Body, again.Replayed));
        Assert.Equal(before, (await Version(id), await Events()));
        await Refused(Send(api, "wms", body.Replace("DO-1", "DO-2"), _secrets["wh-1"], id: "msg_replayed"), HttpStatusCode.Conflict, "notice.id_reused");
    }

    /// <summary>A notice signed for one body, sent with another (a man in the middle changing the quantity).</summary>
    Task<Reply> Forge(string signedBody, string from, string to)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = Application.Webhooks.WebhookSignature.V1(_secrets["wh-1"], "msg_forged", ts, signedBody);
        return api.SendRaw(HttpMethod.Post, "/api/v1/integrations/wms/notices", null, signedBody.Replace(from, to),
            ("webhook-id", "msg_forged"), ("webhook-timestamp", ts.ToString()), ("webhook-signature", signature));
    }

    [Fact]
    public async Task a_notice_cannot_do_what_its_participant_could_not_do_by_hand()
    {
        var id = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        var other = await Active(api);
        var before = (await Version(id), await Version(other), await Events());
        // Each notice is refused exactly as its participant's own command over the API is, and neither changes anything.
        async Task RefusedAsByHand(Task<Reply> notice, Task<Reply> byHand)
        {
            var (n, h) = (await notice, await byHand);
            Assert.True((int)n.Status >= 400 && (n.Status, n.Code) == (h.Status, h.Code), $"notice {n}\nby hand {h}");
            Assert.Equal(before, (await Version(id), await Version(other), await Events()));
        }

        // A bank's system sending a court order for a receipt pledged to it: the bank may not freeze by hand either.
        await RefusedAsByHand(Send(api, "regulator", Body("bank-1", "court-order", new { assetId = id, orderId = "CO-1" }), _secrets["bank-1"]),
            api.Post($"/api/v1/assets/{id}/freeze", "bank-1", new { freezeId = "CO-1", authority = "Judicial", reason = "Court order CO-1" }));
        // Another warehouse's WMS releasing goods from a receipt in wh-1's custody: it cannot even see the receipt.
        await RefusedAsByHand(Send(api, "wms", Body("wh-2", "goods-released", new { assetId = other, deliveryOrder = "DO-1", quantity = "1" }), _secrets["wh-2"]),
            api.Post($"/api/v1/assets/{other}/releases", "wh-2", new { deliveryOrder = "DO-1", quantity = "1" }));
        // A bank repaying a loan on a receipt that was never pledged to it.
        await RefusedAsByHand(Send(api, "bank", Body("bank-1", "loan-repaid", new { assetId = other }), _secrets["bank-1"]),
            api.Post($"/api/v1/assets/{other}/return", "bank-1", new { }));
        // A WMS amending a receipt after a recount: only its owner may amend it.
        await RefusedAsByHand(Send(api, "wms", Body("wh-1", "goods-received", new { assetId = other, quantity = "1000", unit = "bbl" }), _secrets["wh-1"]),
            api.Post($"/api/v1/assets/{other}/amendments", "wh-1", new { quantity = "1000", unit = "bbl" }));
        // A trading system selling a receipt it does not hold (pledged at the bank).
        await RefusedAsByHand(Send(api, "trading", Body("tc-1", "trade-matched", new { assetId = id, buyerId = "buyer-b" }), _secrets["tc-1"]),
            api.Post($"/api/v1/assets/{id}/return", "tc-1", new { newOwnerId = "buyer-b" }));
    }

    [Fact]
    public async Task a_notice_signed_with_a_registered_ed25519_key_is_carried_out_and_the_secret_it_replaced_no_longer_verifies()
    {
        var oldSecret = await RegisterSecret(api, "log-1");
        var key = await RegisterKey(api, "wh-2");
        var id = await Pending(api);
        var body = Body("wh-2", "goods-released", new { assetId = id, deliveryOrder = "DO-1", quantity = "1" });
        // wh-2 is no party to wh-1's receipt: the signature holds, the decider refuses as it would refuse wh-2 by hand.
        Assert.Equal(HttpStatusCode.NotFound, (await Send(api, "wms", body, key: key)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(api, "wms", body, _secrets["wh-2"])).Status);
        var shown = (await api.Get("/api/v1/integrations/notice-credentials", "wh-2")).Json;
        Assert.Equal((false, (string?)null), (shown["hmac"]!.GetValue<bool>(), shown["secret"]?.GetValue<string>()));
        Assert.StartsWith("whpk_", S(shown["publicKey"]));

        var filed = await Send(api, "wms", Body("wh-2", "goods-received", new { ownerId = "owner-a", receiptNumber = $"WR-{Guid.NewGuid():N}", commodity = "tin", quantity = "3", unit = "t" }), key: key);
        Assert.True(filed.Status == HttpStatusCode.Created, filed.ToString());

        Assert.Equal(HttpStatusCode.NoContent, (await api.Send(HttpMethod.Delete, "/api/v1/integrations/notice-credentials", "log-1", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(api, "wms", Body("log-1", "goods-released", new { assetId = id, quantity = "1" }), oldSecret)).Status);
    }
}
