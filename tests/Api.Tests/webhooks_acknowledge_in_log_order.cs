using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Webhooks;
using Answer = AssetLedger.Api.Tests.Support.WebhookReceiver.Answer;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 19, delivery latency: with several requests in flight per subscription, answers may come out of order, but the
/// cursor moves strictly in log order. The endpoint holds its answer to the first event while it answers the next three
/// with 200, then answers the first with 500: the cursor must not pass the first, which is sent again (same id), and
/// the three after it with it. A cursor that followed the latest answer would leave a gap.
/// </summary>
public sealed class webhooks_acknowledge_in_log_order : IAsyncLifetime
{
    readonly ApiServer _api = new()
    {
        Settings = new Dictionary<string, string>(FastSettings(lease: "00:00:30", timeout: "00:00:10")) { ["AssetLedger:Webhooks:InFlight"] = "4" },
    };

    public async Task InitializeAsync() { await _api.InitializeAsync(); await Cast(_api); }
    public Task DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task an_early_event_answered_late_and_failed_holds_the_cursor_and_is_sent_again()
    {
        var (_, from, last, expected) = await PledgedToTheBank(_api, 4);
        await using var receiver = await WebhookReceiver.Start();
        var sub = await Subscribe(_api, "bank-1", receiver.Url, new { eventTypes = new[] { "cn.assetledger.asset.transferred-out" } });
        receiver.Then(Answer.LateError, Answer.Ok, Answer.Ok, Answer.Ok);

        // A replay puts all four in one batch.
        await Ok(_api.Post($"/api/v1/webhooks/{sub.Id}/replay", "bank-1", new { fromPosition = from }));
        var open = await receiver.Until(r => r.Count == 4, 60);
        Assert.Equal(expected.Order(), open.Select(d => d.Id).Order());
        // Requests start in log order but may arrive out of it: the held one is the first to arrive, almost always the first event.
        var held = open.Single(d => d.AnsweredWith == Answer.LateError);
        Assert.True(await _api.Scalar($"SELECT position FROM webhook_subscriptions WHERE id = '{sub.Id}'") < held.Position, "the cursor waits for the held event");

        receiver.AnswerLate();
        var resent = open.Where(d => d.Position >= held.Position).Select(d => d.Id).ToList();
        await receiver.Until(r => resent.All(id => r.Skip(4).Any(d => d.Id == id && d.AnsweredWith == Answer.Ok)), 60);
        for (var i = 0; i < 300 && await _api.Scalar($"SELECT position FROM webhook_subscriptions WHERE id = '{sub.Id}'") < last; i++) await Task.Delay(50);
        Assert.True(await _api.Scalar($"SELECT position FROM webhook_subscriptions WHERE id = '{sub.Id}'") >= last, "the cursor passes all four once they are answered");
        var attempts = (await _api.Get($"/api/v1/webhooks/{sub.Id}/attempts", "bank-1")).Json["attempts"]!.AsArray();
        Assert.Contains(attempts, a => a!["eventId"]!.GetValue<string>() == held.Id && a["statusCode"]?.GetValue<int>() == 500);
        Assert.Contains(attempts, a => a!["eventId"]!.GetValue<string>() == held.Id && a["statusCode"]?.GetValue<int>() == 200);
    }
}
