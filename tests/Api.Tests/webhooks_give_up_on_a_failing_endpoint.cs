using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Webhooks;
using Answer = AssetLedger.Api.Tests.Support.WebhookReceiver.Answer;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 19 item 1: a subscription whose endpoint keeps failing is disabled once it has failed for the configured time
/// (here 2 s), says why, and holds up no other subscription meanwhile; the owner's other subscription is told, by a
/// signed <c>cn.assetledger.webhook.disabled</c> CloudEvent (issue 19, notice to the owner).
/// </summary>
public sealed class webhooks_give_up_on_a_failing_endpoint : IAsyncLifetime
{
    readonly ApiServer _api = new() { Settings = FastSettings(disableAfter: "00:00:02") };

    public async Task InitializeAsync() { await _api.InitializeAsync(); await Cast(_api); }
    public Task DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task a_subscription_failing_longer_than_the_window_is_disabled_while_a_healthy_one_keeps_receiving()
    {
        await using var failing = await WebhookReceiver.Start();
        await using var healthy = await WebhookReceiver.Start();
        failing.Then(Enumerable.Repeat(Answer.Error, 20).ToArray());
        var bad = await Subscribe(_api, "bank-1", failing.Url);
        var good = await Subscribe(_api, "bank-1", healthy.Url);
        // Another participant's subscription hears nothing of bank-1's.
        await using var bystander = await WebhookReceiver.Start();
        await Subscribe(_api, "reg-1", bystander.Url);

        var id = await Active(_api);
        await Ok(_api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await healthy.Until(r => r.Count == 1);
        await failing.Until(r => r.Count >= 1);
        var health = "";
        for (var i = 0; i < 100 && health != "retrying"; i++, await Task.Delay(20))
            health = (await _api.Get($"/api/v1/webhooks/{bad.Id}", "bank-1")).Json["health"]!.GetValue<string>();
        Assert.Equal("retrying", health);
        await Ok(_api.Post($"/api/v1/assets/{id}/return", "bank-1", new { }));
        await healthy.Until(r => r.Count == 2);

        Reply view;
        var waited = 0;
        while ((view = await _api.Get($"/api/v1/webhooks/{bad.Id}", "bank-1")).Json["active"]!.GetValue<bool>())
        {
            Assert.True(waited++ < 300, "the failing subscription was not disabled within 30 s: " + view);
            await Task.Delay(100);
        }
        Assert.Equal("disabled", view.Json["health"]!.GetValue<string>());
        Assert.Contains("answered 500", view.Json["disabledReason"]!.GetValue<string>());
        Assert.True(failing.Received.Count >= 2);
        Assert.All(failing.Received, d => Assert.Equal(failing.Received[0].Id, d.Id));

        var notice = (await healthy.Until(r => r.Any(d => d.Event["type"]!.GetValue<string>() == "cn.assetledger.webhook.disabled")))
            .Single(d => d.Event["type"]!.GetValue<string>() == "cn.assetledger.webhook.disabled");
        await AssertSigned(_api, good.Secret, notice);
        Assert.Empty(healthy.Received.SelectMany(d => BundleSchemaValidator.WebhookProblems($"delivery {d.Id}", d.Body)));
        Assert.Equal(bad.Id, notice.Event["subject"]!.GetValue<string>());
        Assert.Equal((bad.Id, failing.Url.ToString()), (notice.Event["data"]!["subscriptionId"]!.GetValue<string>(), notice.Event["data"]!["url"]!.GetValue<string>()));
        Assert.Contains("answered 500", notice.Event["data"]!["reason"]!.GetValue<string>());
        Assert.Equal(view.Json["position"]!.GetValue<long>(), notice.Event["data"]!["position"]!.GetValue<long>());
        await bystander.Until(r => r.Count >= 2);
        Assert.DoesNotContain(bystander.Received, d => d.Event["type"]!.GetValue<string>() == "cn.assetledger.webhook.disabled");
    }
}
