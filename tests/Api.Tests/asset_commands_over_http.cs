using System.Net;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>Every asset endpoint: its success path, and its refusals as RFC 9457 problems with the domain's code.</summary>
public sealed class asset_commands_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static void Problem(Reply r, HttpStatusCode status, string code)
    {
        Assert.True(r.Status == status, $"expected {(int)status} {code}, got {r}");
        Assert.Equal("application/problem+json", r.ContentType);
        Assert.Equal(code, r.Code);
        Assert.False(string.IsNullOrWhiteSpace(r.Json["detail"]?.GetValue<string>()));
        Assert.Equal((int)status, r.Json["status"]!.GetValue<int>());
        Assert.EndsWith(code, r.Json["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task registering_answers_201_with_location_etag_version_and_event_ids()
    {
        var r = await api.Post("/api/v1/assets", "owner-a", Receipt());
        Assert.Equal(HttpStatusCode.Created, r.Status);
        var id = r.Json["assetId"]!.GetValue<string>();
        Assert.Equal($"/api/v1/assets/{id}", r.Location);
        Assert.Equal("\"1\"", r.ETag);
        Assert.Equal(1, r.Json["version"]!.GetValue<long>());
        Assert.Equal("Pending", r.Json["status"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", r.Json["events"]![0]!["hash"]!.GetValue<string>());
        var get = await api.Get(r.Location!, "owner-a");
        Assert.Equal("crude oil", get.Json["commodity"]!.GetValue<string>());
        Assert.Equal("1200.5", get.Json["quantity"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task receivables_and_intangibles_register_with_their_own_fields()
    {
        var rec = await api.Post("/api/v1/assets", "owner-a", new { kind = "Receivable", ownerId = "owner-a", debtorId = "debtor-1", billNumber = $"B-{Guid.NewGuid():N}", amount = "100000.00", currency = "CNY", dueDate = "2027-03-31" });
        Assert.Equal(HttpStatusCode.Created, rec.Status);
        var view = await api.Get(rec.Location!, "owner-a");
        Assert.Equal("100000", view.Json["amount"]!["value"]!.GetValue<string>());
        Assert.Equal("debtor-1", view.Json["confirmations"]![0]!["namedParticipant"]!.GetValue<string>());
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));
        var intangible = await api.Post("/api/v1/assets", "owner-a", new { kind = "Intangible", ownerId = "owner-a", title = "West Lake scenic photos", contentSha256 = sha, mediaType = "image/jpeg" });
        Assert.Equal(HttpStatusCode.Created, intangible.Status);
    }

    [Fact]
    public async Task registering_a_taken_key_is_409_key_taken() =>
        Problem(await api.Post("/api/v1/assets", "owner-a", Receipt("WR-TAKEN")) is var first && first.Status == HttpStatusCode.Created
            ? await api.Post("/api/v1/assets", "buyer-b", new { kind = "WarehouseReceipt", ownerId = "buyer-b", warehouseId = "wh-1", receiptNumber = "WR-TAKEN", commodity = "oil", quantity = "1", unit = "t" })
            : first, HttpStatusCode.Conflict, "asset.key_taken");

    [Theory]
    [InlineData("""{"kind":"Car","ownerId":"owner-a"}""", "request.invalid", "kind")]
    [InlineData("""{"kind":"WarehouseReceipt","ownerId":"owner-a","warehouseId":"wh-1","receiptNumber":"Z","commodity":"oil","quantity":"0","unit":"t"}""", "asset.invalid", "quantity")]
    [InlineData("""{"kind":"WarehouseReceipt","ownerId":"owner-a","warehouseId":"wh-1","receiptNumber":"Z","commodity":"oil","quantity":"1e5","unit":"t"}""", "asset.invalid", "quantity")]
    [InlineData("""{"kind":"Receivable","ownerId":"owner-a","debtorId":"debtor-1","billNumber":"Z","amount":"-1","currency":"CNY","dueDate":"2027-01-01"}""", "asset.invalid", "amount")]
    [InlineData("""{"kind":"Receivable","ownerId":"owner-a","debtorId":"debtor-1","billNumber":"Z","amount":"1","currency":"yuan","dueDate":"2027-01-01"}""", "asset.invalid", "currency")]
    [InlineData("""{"kind":"Receivable","ownerId":"owner-a","debtorId":"debtor-1","billNumber":"Z","amount":"1","currency":"CNY","dueDate":"31/01/2027"}""", "request.invalid", "dueDate")]
    [InlineData("""{"kind":"WarehouseReceipt","ownerId":"owner-a","warehouseId":"tc-1","receiptNumber":"Z","commodity":"oil","quantity":"1","unit":"t"}""", "asset.not_a_warehouse", "warehouseId")]
    [InlineData("""{"kind":"WarehouseReceipt","ownerId":"ghost","warehouseId":"wh-1","receiptNumber":"Z","commodity":"oil","quantity":"1","unit":"t"}""", "asset.unknown_participant", "ownerId")]
    [InlineData("""{"kind":"Intangible","ownerId":"owner-a","title":"x","contentSha256":"ABC","mediaType":"image/png"}""", "asset.invalid", "contentSha256")]
    public async Task invalid_registrations_are_422_naming_the_field_and_write_nothing(string body, string code, string field)
    {
        // The caller's fixture user is made (events of its own) on its first request: before counting, not between.
        await api.Token("owner-a");
        var before = await api.Scalar("SELECT count(*) FROM events");
        var r = await api.Post("/api/v1/assets", "owner-a", body);
        Problem(r, HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(field, r.Json["field"]!.GetValue<string>());
        Assert.Equal(before, await api.Scalar("SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task registering_for_someone_else_is_403()
    {
        var r = await api.Post("/api/v1/assets", "buyer-b", Receipt());
        Problem(r, HttpStatusCode.Forbidden, "asset.not_permitted");
    }

    [Fact]
    public async Task confirmations_by_both_required_confirmers_activate_and_others_are_refused()
    {
        var id = await Pending(api);
        // An outsider is told nothing, not even that the asset exists.
        Problem(await api.Post($"/api/v1/assets/{id}/confirmations", "bank-1", new { approve = true }), HttpStatusCode.NotFound, "asset.not_found");
        Problem(await api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { }), HttpStatusCode.UnprocessableEntity, "request.invalid");
        var first = await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }));
        Assert.Equal("Pending", first.Json["status"]!.GetValue<string>());
        Problem(await api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }), HttpStatusCode.Conflict, "asset.already_confirmed");
        var second = await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "tc-1", new { approve = true }));
        Assert.Equal("Active", second.Json["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_owner_with_the_trading_center_role_cannot_confirm_its_own_receipt()
    {
        var created = await api.Post("/api/v1/participants", "operator", new { id = "co-tc", name = "co-tc Co., Ltd.", roles = new[] { "Owner", "TradingCenter" } });
        Assert.True(created.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, created.ToString());
        var r = await api.Post("/api/v1/assets", "co-tc", new
        {
            kind = "WarehouseReceipt", ownerId = "co-tc", warehouseId = "wh-1", receiptNumber = $"WR-{Guid.NewGuid():N}", commodity = "crude oil", quantity = "10", unit = "t",
        });
        Assert.Equal(HttpStatusCode.Created, r.Status);
        var id = r.Json["assetId"]!.GetValue<string>();
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }));

        Problem(await api.Post($"/api/v1/assets/{id}/confirmations", "co-tc", new { approve = true }), HttpStatusCode.Forbidden, "asset.confirmer_not_independent");

        var view = await api.Get($"/api/v1/assets/{id}", "co-tc");
        Assert.Equal(("Pending", "\"2\""), (view.Json["status"]!.GetValue<string>(), view.ETag));
        Assert.Equal("Active", (await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "tc-1", new { approve = true }))).Json["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_rejection_closes_the_asset_for_good()
    {
        var id = await Pending(api);
        var r = await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = false, comment = "no such goods in tank 7" }));
        Assert.Equal("Rejected", r.Json["status"]!.GetValue<string>());
        Problem(await api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }), HttpStatusCode.Conflict, "asset.closed");
    }

    [Fact]
    public async Task amendments_change_details_and_a_material_one_needs_confirming_again()
    {
        var id = await Active(api);
        Problem(await api.Post($"/api/v1/assets/{id}/amendments", "buyer-b", new { description = "x" }), HttpStatusCode.NotFound, "asset.not_found");
        Problem(await api.Post($"/api/v1/assets/{id}/amendments", "wh-1", new { description = "x" }), HttpStatusCode.Forbidden, "asset.not_owner");
        Problem(await api.Post($"/api/v1/assets/{id}/amendments", "owner-a", new { receiptNumber = "NEW" }), HttpStatusCode.UnprocessableEntity, "asset.key_immutable");
        Problem(await api.Post($"/api/v1/assets/{id}/amendments", "owner-a", new { quantity = "5" }), HttpStatusCode.UnprocessableEntity, "asset.invalid");
        var minor = await Ok(api.Post($"/api/v1/assets/{id}/amendments", "owner-a", new { description = "tank 7" }));
        Assert.Equal("Active", minor.Json["status"]!.GetValue<string>());
        var material = await Ok(api.Post($"/api/v1/assets/{id}/amendments", "owner-a", new { quantity = "1100", unit = "bbl" }));
        Assert.Equal("Pending", material.Json["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_transfer_offer_locks_the_asset_until_accepted_declined_or_withdrawn()
    {
        var id = await Active(api);
        Problem(await api.Post($"/api/v1/assets/{id}/transfer-offer", "owner-a", new { toId = "ghost" }), HttpStatusCode.UnprocessableEntity, "asset.unknown_participant");
        Problem(await api.Post($"/api/v1/assets/{id}/transfer-offer", "buyer-b", new { toId = "buyer-b" }), HttpStatusCode.NotFound, "asset.not_found");
        Problem(await api.Post($"/api/v1/assets/{id}/transfer-offer", "wh-1", new { toId = "buyer-b" }), HttpStatusCode.Forbidden, "asset.not_owner");
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-offer", "owner-a", new { toId = "buyer-b" }));
        Problem(await api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }), HttpStatusCode.Conflict, "asset.locked");
        Problem(await api.Post($"/api/v1/assets/{id}/transfer-offer/accept", "tc-1", null), HttpStatusCode.Forbidden, "asset.not_assignee");
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-offer/decline", "buyer-b", null));
        Problem(await api.Post($"/api/v1/assets/{id}/transfer-offer/accept", "buyer-b", null), HttpStatusCode.NotFound, "asset.not_found");
        Problem(await api.Post($"/api/v1/assets/{id}/transfer-offer/accept", "owner-a", null), HttpStatusCode.Conflict, "asset.no_pending_offer");
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-offer", "owner-a", new { toId = "buyer-b" }));
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-offer/withdraw", "owner-a", null));
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-offer", "owner-a", new { toId = "buyer-b" }));
        var accepted = await Ok(api.Post($"/api/v1/assets/{id}/transfer-offer/accept", "buyer-b", null));
        Assert.Equal("buyer-b", (await api.Get($"/api/v1/assets/{id}", "buyer-b")).Json["ownerId"]!.GetValue<string>());
        Assert.Equal(9, accepted.Json["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task a_pledged_asset_cannot_be_pledged_again_or_cancelled_and_only_the_bank_returns_it()
    {
        var id = await Active(api);
        Problem(await api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "tc-1", purpose = "Financing" }), HttpStatusCode.UnprocessableEntity, "asset.venue_not_eligible");
        Problem(await api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Lending" }), HttpStatusCode.UnprocessableEntity, "request.invalid");
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        Problem(await api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }), HttpStatusCode.Conflict, "asset.locked");
        Problem(await api.Post($"/api/v1/assets/{id}/cancel", "wh-1", new { reason = "released" }), HttpStatusCode.Conflict, "asset.locked");
        Problem(await api.Post($"/api/v1/assets/{id}/return", "owner-a", null), HttpStatusCode.Forbidden, "asset.not_venue");
        var back = await Ok(api.Post($"/api/v1/assets/{id}/return", "bank-1", new { newOwnerId = "buyer-b" }));
        Assert.Equal("buyer-b", (await api.Get($"/api/v1/assets/{id}", "buyer-b")).Json["ownerId"]!.GetValue<string>());
        Problem(await api.Post($"/api/v1/assets/{id}/return", "buyer-b", null), HttpStatusCode.Conflict, "asset.not_out");
        Assert.Equal("Active", back.Json["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task only_a_regulator_freezes_and_a_frozen_asset_cannot_be_returned_or_traded()
    {
        var id = await Active(api);
        Problem(await api.Post($"/api/v1/assets/{id}/freeze", "owner-a", new { reason = "x" }), HttpStatusCode.Forbidden, "asset.not_permitted");
        Problem(await api.Post($"/api/v1/assets/{id}/freeze", "reg-1", new { reason = "" }), HttpStatusCode.UnprocessableEntity, "asset.invalid");
        Problem(await api.Post($"/api/v1/assets/{id}/freeze", "reg-1", new { reason = "x", authority = "IotAlarm" }), HttpStatusCode.UnprocessableEntity, "request.invalid");
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "tc-1", purpose = "Trade" }));
        await Ok(api.Post($"/api/v1/assets/{id}/freeze", "reg-1", new { reason = "court order 123", authority = "Judicial", freezeId = "court-123" }));
        Problem(await api.Post($"/api/v1/assets/{id}/freeze", "reg-1", new { reason = "again", freezeId = "court-123" }), HttpStatusCode.Conflict, "asset.freeze_exists");
        Problem(await api.Post($"/api/v1/assets/{id}/return", "tc-1", null), HttpStatusCode.Conflict, "asset.frozen");
        Problem(await api.Post($"/api/v1/assets/{id}/unfreeze", "reg-1", new { freezeId = "nope" }), HttpStatusCode.Conflict, "asset.freeze_not_found");
        Problem(await api.Post($"/api/v1/assets/{id}/unfreeze", "tc-1", new { freezeId = "court-123" }), HttpStatusCode.Forbidden, "asset.not_permitted");
        Problem(await api.Post($"/api/v1/assets/{id}/unfreeze", "reg-1", new { }), HttpStatusCode.UnprocessableEntity, "request.invalid");
        await Ok(api.Post($"/api/v1/assets/{id}/unfreeze", "reg-1", new { freezeId = "court-123", reason = "lifted" }));
        await Ok(api.Post($"/api/v1/assets/{id}/return", "tc-1", null));
    }

    [Fact]
    public async Task a_receipt_is_cancelled_by_its_warehouse_and_then_accepts_nothing()
    {
        var id = await Active(api);
        Problem(await api.Post($"/api/v1/assets/{id}/cancel", "owner-a", new { reason = "x" }), HttpStatusCode.Forbidden, "asset.not_permitted");
        Problem(await api.Post($"/api/v1/assets/{id}/cancel", "wh-1", new { }), HttpStatusCode.UnprocessableEntity, "asset.invalid");
        var r = await Ok(api.Post($"/api/v1/assets/{id}/cancel", "wh-1", new { reason = "goods released" }));
        Assert.Equal("Cancelled", r.Json["status"]!.GetValue<string>());
        Problem(await api.Post($"/api/v1/assets/{id}/evidence", "owner-a", new { sha256 = new string('a', 64), mediaType = "application/pdf" }), HttpStatusCode.Conflict, "asset.closed");
    }

    [Fact]
    public async Task evidence_is_attached_by_hash()
    {
        var id = await Pending(api);
        Problem(await api.Post($"/api/v1/assets/{id}/evidence", "owner-a", new { sha256 = "xyz", mediaType = "application/pdf" }), HttpStatusCode.UnprocessableEntity, "request.invalid");
        await Ok(api.Post($"/api/v1/assets/{id}/evidence", "owner-a", new { sha256 = new string('b', 64), mediaType = "application/pdf", description = "inspection report" }));
        Assert.Equal(1, (await api.Get($"/api/v1/assets/{id}", "owner-a")).Json["evidenceCount"]!.GetValue<int>());
    }

    /// <summary>Regression: the endpoint let an evidence mediaType be 200 characters while the decider allowed 100; the Domain's limit is the one.</summary>
    [Theory]
    [InlineData(101)]
    [InlineData(201)]
    public async Task an_evidence_media_type_over_the_domains_limit_is_refused_by_the_domain(int length)
    {
        var id = await Pending(api);
        var r = await api.Post($"/api/v1/assets/{id}/evidence", "owner-a", new { sha256 = new string('c', 64), mediaType = "application/" + new string('x', length - 12) });
        Problem(r, HttpStatusCode.UnprocessableEntity, "asset.invalid");
        Assert.Equal("mediaType", r.Json["field"]?.GetValue<string>());
        await Ok(api.Post($"/api/v1/assets/{id}/evidence", "owner-a", new { sha256 = new string('c', 64), mediaType = "application/" + new string('x', 100 - 12) }));
    }

    [Fact]
    public async Task history_lists_every_event_with_actor_and_a_hash_chain()
    {
        var id = await Active(api);
        var h = await api.Get($"/api/v1/assets/{id}/history", "owner-a");
        Assert.Equal(HttpStatusCode.OK, h.Status);
        var events = h.Json.AsArray();
        Assert.Equal(["asset-registered", "asset-confirmed", "asset-confirmed"], events.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal(["owner-a", "wh-1", "tc-1"], events.Select(e => e!["actor"]!.GetValue<string>()));
        for (var i = 1; i < events.Count; i++) Assert.Equal(events[i - 1]!["hash"]!.GetValue<string>(), events[i]!["previousHash"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v1/assets/not-a-uuid")]
    [InlineData("/api/v1/assets/01a2141924e577a9ae1b5e62a680c1dc")]
    [InlineData("/api/v1/assets/01a2141924e577a9ae1b5e62a680c1dc/history")]
    public async Task missing_assets_are_404(string path) => Problem(await api.Get(path, "owner-a"), HttpStatusCode.NotFound, "asset.not_found");

    [Fact]
    public async Task commands_on_a_missing_asset_are_404() =>
        Problem(await api.Post($"/api/v1/assets/{Guid.NewGuid():N}/cancel", "wh-1", new { reason = "x" }), HttpStatusCode.NotFound, "asset.not_found");

    [Fact]
    public async Task without_a_participant_every_asset_endpoint_is_401_and_health_is_open()
    {
        Problem(await api.Get($"/api/v1/assets/{Guid.NewGuid():N}", null), HttpStatusCode.Unauthorized, "auth.required");
        Problem(await api.Post("/api/v1/assets", null, Receipt()), HttpStatusCode.Unauthorized, "auth.required");
        Problem(await api.SendRaw(HttpMethod.Post, "/api/v1/assets", "not.a.token", "{}"), HttpStatusCode.Unauthorized, "auth.required");
        Assert.Equal(HttpStatusCode.OK, (await api.Get("/health/live", null)).Status);
        var ready = await api.Get("/health/ready", null);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("ready", ready.Json["status"]!.GetValue<string>());
    }
}
