using System.Net;
using System.Text.Json;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Registrations;
using AssetLedger.Ledger.Serialization;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>Security-interest registrations over HTTP: make, extend, dispute, court case, cancel, and the search that also finds pledges.</summary>
public sealed class registrations_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    const string DebtorCode = "91330100MA27XL0E2G";

    public async Task InitializeAsync()
    {
        await Cast(api);
        // The debtor the registrations name, as a participant holding that credit code: the one that may dispute as the debtor.
        var r = await api.Post("/api/v1/participants", "operator", new { id = "debtor-co", name = "owner-a Co., Ltd.", roles = new[] { "Owner" }, creditCode = DebtorCode });
        Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, r.ToString());
    }
    public Task DisposeAsync() => Task.CompletedTask;

    static void Problem(Reply r, HttpStatusCode status, string code)
    {
        Assert.True(r.Status == status, $"expected {(int)status} {code}, got {r}");
        Assert.Equal("application/problem+json", r.ContentType);
        Assert.Equal(code, r.Code);
    }

    static object OnAsset(string assetId, int months = 12) => new
    {
        debtor = new { name = "owner-a Co., Ltd.", creditCode = DebtorCode }, collateral = new { kind = "RegistryAsset", assetId }, termMonths = months,
    };

    [Fact]
    public async Task a_bank_registers_extends_and_a_search_by_the_asset_key_finds_it_and_the_pledge()
    {
        var asset = await Active(api);
        var made = await api.Post("/api/v1/registrations", "bank-1", OnAsset(asset));
        Assert.True(made.Status == HttpStatusCode.Created, made.ToString());
        var id = made.Json["registrationId"]!.GetValue<string>();
        Assert.Matches("^RG-[0-9]{8}-[0-9]{8}$", made.Json["number"]!.GetValue<string>());
        Assert.Equal($"/api/v1/registrations/{id}", made.Location);
        var expires = made.Json["expiresAt"]!.GetValue<DateTimeOffset>();

        Problem(await api.Post($"/api/v1/registrations/{id}/extensions", "owner-a", new { termMonths = 12 }), HttpStatusCode.Forbidden, "registration.not_registrant");
        var extended = await Ok(api.Post($"/api/v1/registrations/{id}/extensions", "bank-1", new { termMonths = 12 }));
        Assert.Equal(expires.AddMonths(12), extended.Json["expiresAt"]!.GetValue<DateTimeOffset>());

        await Ok(api.Post($"/api/v1/registrations/{id}/disputes", "debtor-co", new { capacity = "Debtor", reason = "The loan was repaid." }));
        await Ok(api.Post($"/api/v1/registrations/{id}/court-case", "debtor-co", new { caseNumber = "(2026)浙0106民初1234号" }));
        Problem(await api.Post($"/api/v1/registrations/{id}/cancellation", "reg-1", new { reason = "order" }), HttpStatusCode.UnprocessableEntity, "registration.invalid");

        await Ok(api.Post($"/api/v1/assets/{asset}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await api.ProjectionsCaughtUp();
        var key = $"receipt:wh-1:{(await api.Get($"/api/v1/assets/{asset}", "owner-a")).Json["receiptNumber"]!.GetValue<string>()}";
        var found = await Ok(api.Get($"/api/v1/registrations?assetKey={Uri.EscapeDataString(key)}", "tc-1"));
        var registration = Assert.Single(found.Json["registrations"]!.AsArray());
        Assert.Equal(id, registration!["registrationId"]!.GetValue<Guid>().ToString("N"));
        Assert.True(registration["disputed"]!.GetValue<bool>());
        Assert.Equal("bank-1", Assert.Single(found.Json["pledges"]!.AsArray())!["venueId"]!.GetValue<string>());

        var byCode = await Ok(api.Get($"/api/v1/registrations?creditCode={DebtorCode}", "tc-1"));
        Assert.Contains(byCode.Json["registrations"]!.AsArray(), r => r!["number"]!.GetValue<string>() == made.Json["number"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_disputer_is_held_to_the_capacity_its_participant_record_gives_it()
    {
        var made = await api.Post("/api/v1/registrations", "bank-1", OnAsset(await Active(api)));
        var id = made.Json["registrationId"]!.GetValue<string>();
        // owner-a holds no credit code, so it is not the debtor; the debtor is not an interested party in its own name.
        Problem(await api.Post($"/api/v1/registrations/{id}/disputes", "owner-a", new { capacity = "Debtor", reason = "Not mine." }), HttpStatusCode.Forbidden, "registration.not_debtor");
        Problem(await api.Post($"/api/v1/registrations/{id}/disputes", "debtor-co", new { capacity = "InterestedParty", reason = "Repaid." }), HttpStatusCode.UnprocessableEntity, "registration.invalid");
        await Ok(api.Post($"/api/v1/registrations/{id}/disputes", "owner-a", new { capacity = "InterestedParty", reason = "I hold the goods." }));
    }

    [Fact]
    public async Task the_registrant_cancels_and_a_cancelled_registration_leaves_the_search()
    {
        var made = await api.Post("/api/v1/registrations", "bank-1", new
        {
            debtor = new { name = "Receivables Debtor Ltd.", creditCode = "91330100MA27XL0E3K" },
            collateral = new { kind = "Receivables", description = "All receivables of 2026." }, termMonths = 6,
        });
        Assert.True(made.Status == HttpStatusCode.Created, made.ToString());
        var id = made.Json["registrationId"]!.GetValue<string>();
        var cancelled = await Ok(api.Post($"/api/v1/registrations/{id}/cancellation", "bank-1", new { reason = "Repaid." }));
        Assert.True(cancelled.Json["cancelled"]!.GetValue<bool>());
        await api.ProjectionsCaughtUp();
        var found = await Ok(api.Get("/api/v1/registrations?debtorName=receivables%20debtor%20ltd.", "owner-a"));
        Assert.Empty(found.Json["registrations"]!.AsArray());
        Assert.True((await Ok(api.Get($"/api/v1/registrations/{id}", "owner-a"))).Json["cancelled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task an_extension_the_operator_appends_for_another_than_the_registrant_is_named_by_the_integrity_check()
    {
        var made = await api.Post("/api/v1/registrations", "bank-1", OnAsset(await Active(api)));
        Assert.True(made.Status == HttpStatusCode.Created, made.ToString());
        var id = new RegistrationId(Guid.Parse(made.Json["registrationId"]!.GetValue<string>()));
        var forged = new RegistrationExtended(id, 12, made.Json["expiresAt"]!.GetValue<DateTimeOffset>().AddMonths(12), new ParticipantId("owner-a"), DateTimeOffset.UtcNow);
        var (version, hash) = await Forgery.Head(api, "owner-a");
        var metadata = JsonSerializer.Serialize(new EventMetadata("owner-a", "owner-a.fixture", Guid.NewGuid(), null, null, null, version, hash), EventSerializer.Options);
        var eventId = await Forgery.Append(api, id.StreamId, "registration-extended", EventSerializer.Instance.Serialize(forged).Json, metadata);
        var position = await api.Scalar($"SELECT position FROM events WHERE event_id = '{eventId}'");

        var integrity = (await api.Get($"/api/v1/ledger/integrity?from={position}&to={position}", "reg-1")).Json;
        Assert.False(integrity["ok"]!.GetValue<bool>(), integrity.ToJsonString());
        Assert.Contains(integrity["problems"]!.AsArray(), p => p!["kind"]!.GetValue<string>() == "rules" && p["position"]!.GetValue<long>() == position
            && p["message"]!.GetValue<string>().Contains("registration.not_registrant"));
    }

    [Fact]
    public async Task refusals_are_problems()
    {
        Problem(await api.Post("/api/v1/registrations", "bank-1", OnAsset(Guid.NewGuid().ToString("N"))), HttpStatusCode.UnprocessableEntity, "registration.unknown_asset");
        var noTerm = await api.Post("/api/v1/registrations", "bank-1", OnAsset(await Active(api), months: 0));
        Assert.True(noTerm.Status == HttpStatusCode.UnprocessableEntity && noTerm.Code is "request.invalid" or "registration.invalid", noTerm.ToString());
        Problem(await api.Get($"/api/v1/registrations?debtorName=x&creditCode={DebtorCode}", "bank-1"), HttpStatusCode.UnprocessableEntity, "request.invalid");
        Problem(await api.Get($"/api/v1/registrations/{Guid.NewGuid():N}", "bank-1"), HttpStatusCode.NotFound, "registration.not_found");
        Problem(await api.Post($"/api/v1/registrations/not-an-id/extensions", "bank-1", new { termMonths = 1 }), HttpStatusCode.NotFound, "registration.not_found");
    }
}
