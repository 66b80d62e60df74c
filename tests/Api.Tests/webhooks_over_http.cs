using System.Net;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Webhooks;
using Answer = AssetLedger.Api.Tests.Support.WebhookReceiver.Answer;

namespace AssetLedger.Api.Tests;

public sealed class WebhookServer : IAsyncLifetime
{
    public ApiServer Api { get; } = new() { Settings = FastSettings() };
    public async Task InitializeAsync() { await Api.InitializeAsync(); await Cast(Api); }
    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// Issue 19 items 1–3 against a real receiver (Kestrel on a loopback port): a subscriber gets, in log order and once per
/// id, every event about the assets it may see and nothing else, signed, through errors, slow answers and silence; a 410
/// disables the subscription, a replay sends again with the same ids; the attempts and the lag are there to see.
/// </summary>
public sealed class webhooks_over_http(WebhookServer server) : IClassFixture<WebhookServer>
{
    ApiServer Api => server.Api;
    const string PledgeTypes = "'asset-transferred-out', 'asset-returned'";

    [Fact]
    public async Task a_bank_gets_its_pledges_in_order_once_each_signed_through_errors_slowness_and_silence()
    {
        await using var receiver = await WebhookReceiver.Start();
        var sub = await Subscribe(Api, "bank-1", receiver.Url);
        receiver.Then(Answer.Ok, Answer.Error, Answer.Slow, Answer.Ok, Answer.Hang, Answer.Ok, Answer.Error);
        var pledged = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = await Active(Api);
            pledged.Add(id);
            await Ok(Api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        }
        var never = await Active(Api);
        await Ok(Api.Post($"/api/v1/assets/{never}/transfer-out", "owner-a", new { venueId = "tc-1", purpose = "Trade" }));
        foreach (var id in pledged) await Ok(Api.Post($"/api/v1/assets/{id}/return", "bank-1", new { }));

        var expected = await LoggedIds(Api, sub.Position, PledgeTypes, string.Join(", ", pledged.Select(p => $"'asset-{p}'")));
        Assert.Equal(6, expected.Count);
        var received = await receiver.Until(r => r.Count > 0 && InOrderOnce(r).Count == expected.Count && r[^1].AnsweredWith == Answer.Ok, 60);

        Assert.Equal(expected, InOrderOnce(received));
        Assert.All(received, d => Assert.Contains(d.Event["subject"]!.GetValue<string>(), pledged));
        foreach (var d in received) await AssertSigned(Api, sub.Secret, d);
        // Every delivery as docs/schemas/webhook-cloudevent.json and its event's schema in docs/schemas/events/ say.
        Assert.Empty(received.SelectMany(d => BundleSchemaValidator.WebhookProblems($"delivery {d.Id}", d.Body)));
        var first = received[0].Event;
        Assert.Equal("1.0", first["specversion"]!.GetValue<string>());
        Assert.Equal("cn.assetledger.asset.transferred-out", first["type"]!.GetValue<string>());
        Assert.Equal(received[0].Id, first["id"]!.GetValue<string>());
        Assert.Equal($"/api/v1/ledger/proofs/inclusion?eventId={received[0].Id}", first["proofurl"]!.GetValue<string>());
        Assert.Equal(received[0].Position, long.Parse(first["logposition"]!.GetValue<string>()));
        Assert.Contains("bank-1", first["data"]!.ToJsonString());

        var attempts = (await Api.Get($"/api/v1/webhooks/{sub.Id}/attempts", "bank-1")).Json["attempts"]!.AsArray();
        Assert.Equal(received.Count, attempts.Count);
        Assert.Contains(attempts, a => a!["statusCode"]?.GetValue<int>() == 500 && a["nextAttemptAt"] is not null);
        Assert.Contains(attempts, a => a!["statusCode"] is null && a["error"]!.GetValue<string>().Contains("no answer"));
        var view = await Eventually(() => Api.Get($"/api/v1/webhooks/{sub.Id}", "bank-1"), r => r.Json["lag"]!["events"]!.GetValue<long>() == 0);
        Assert.Equal("healthy", view.Json["health"]!.GetValue<string>());
        Assert.Equal(0, view.Json["failures"]!.GetValue<int>());
    }

    [Fact]
    public async Task a_410_disables_the_subscription_and_a_replay_sends_the_same_ids_again()
    {
        await using var receiver = await WebhookReceiver.Start();
        var sub = await Subscribe(Api, "bank-1", receiver.Url, new { eventTypes = new[] { "cn.assetledger.asset.transferred-out" } });
        receiver.Then(Answer.Gone);
        var id = await Active(Api);
        await Ok(Api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));

        var disabled = await Eventually(() => Api.Get($"/api/v1/webhooks/{sub.Id}", "bank-1"), r => !r.Json["active"]!.GetValue<bool>());
        Assert.Equal("disabled", disabled.Json["health"]!.GetValue<string>());
        Assert.Contains("410", disabled.Json["disabledReason"]!.GetValue<string>());
        await Ok(Api.Post($"/api/v1/assets/{id}/return", "bank-1", new { }));
        var later = await Active(Api);
        await Ok(Api.Post($"/api/v1/assets/{later}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await Task.Delay(500);
        Assert.Single(receiver.Received);

        var replay = await Api.Post($"/api/v1/webhooks/{sub.Id}/replay", "bank-1", new { fromPosition = sub.Position + 1 });
        Assert.Equal(HttpStatusCode.OK, replay.Status);
        var expected = await LoggedIds(Api, sub.Position, "'asset-transferred-out'", $"'asset-{id}', 'asset-{later}'");
        var received = await receiver.Until(r => r.Count == 3);
        Assert.Equal(received[0].Id, received[1].Id);
        Assert.Equal(expected, InOrderOnce(received));
    }

    [Fact]
    public async Task subscriptions_are_their_owners_alone()
    {
        await using var receiver = await WebhookReceiver.Start();
        var sub = await Subscribe(Api, "bank-1", receiver.Url);

        Assert.Equal(HttpStatusCode.NotFound, (await Api.Get($"/api/v1/webhooks/{sub.Id}", "owner-a")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Send(HttpMethod.Delete, $"/api/v1/webhooks/{sub.Id}", "owner-a", null)).Status);
        Assert.DoesNotContain((await Api.Get("/api/v1/webhooks", "owner-a")).Json["subscriptions"]!.AsArray(), s => s!["id"]!.GetValue<string>() == sub.Id);
        Assert.Contains((await Api.Get("/api/v1/webhooks", "operator")).Json["subscriptions"]!.AsArray(), s => s!["id"]!.GetValue<string>() == sub.Id);
        Assert.Equal("webhook.owner_refused", (await Api.Post("/api/v1/webhooks", "owner-a", new { url = receiver.Url.ToString(), participantId = "bank-1" })).Code);
        var forRegulator = await Api.Post("/api/v1/webhooks", "operator", new { url = receiver.Url.ToString(), participantId = "reg-1" });
        Assert.Equal("reg-1", forRegulator.Json["subscription"]!["owner"]!.GetValue<string>());
        Assert.Equal("webhook.invalid", (await Api.Post("/api/v1/webhooks", "bank-1", new { url = "file:///etc/passwd" })).Code);
        Assert.Equal(HttpStatusCode.NoContent, (await Api.Send(HttpMethod.Delete, $"/api/v1/webhooks/{sub.Id}", "bank-1", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Get($"/api/v1/webhooks/{sub.Id}", "bank-1")).Status);
    }
}
