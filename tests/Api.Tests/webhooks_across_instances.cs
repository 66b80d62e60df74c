using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Webhooks;
using Answer = AssetLedger.Api.Tests.Support.WebhookReceiver.Answer;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 19 item 1: two API processes deliver, each event to each subscription once, and a SIGKILL to the one that is
/// in the middle of a delivery costs at most that event again, with the same id: no gap, no reorder. The API the test
/// talks to delivers nothing itself, so every delivery comes from the two processes. The bank's audit system takes
/// batches of up to 3 events (maxEventsPerRequest): its CloudEvent ids arrive the same way, in log order, none skipped.
/// </summary>
public sealed class webhooks_across_instances : IAsyncLifetime
{
    static readonly Dictionary<string, string> Delivery = FastSettings(lease: "00:00:04", timeout: "00:00:03");
    readonly ApiServer _api = new() { Settings = new Dictionary<string, string>(Delivery) { ["AssetLedger:Webhooks:Deliver"] = "false" } };

    public async Task InitializeAsync() { await _api.InitializeAsync(); await Cast(_api); }
    public Task DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task a_kill_9_mid_delivery_leads_to_a_redelivery_with_the_same_id_and_no_gap_or_reorder()
    {
        await using var bank = await WebhookReceiver.Start();
        await using var bankAudit = await WebhookReceiver.Start();
        await using var regulator = await WebhookReceiver.Start();
        var bankSub = await Subscribe(_api, "bank-1", bank.Url);
        var auditSub = await Subscribe(_api, "bank-1", bankAudit.Url, new { maxEventsPerRequest = 3 });
        var regSub = await Subscribe(_api, "operator", regulator.Url, new { participantId = "reg-1" });
        bank.Then(Answer.Ok, Answer.Ok, Answer.Hang);
        await using var first = await ApiProcess.Start(_api, Delivery);
        await using var second = await ApiProcess.Start(_api, Delivery);

        var pledged = new List<string>();
        for (var i = 0; i < 3; i++) pledged.Add(await Pledged());
        var hung = (await bank.Until(r => r.Count == 3))[2];
        // The cursor is written once per batch, and for the answers before a request that stays open once it has been
        // open a moment: the kill comes when the two answered events are written, as the hung request holds.
        await CursorPassed(bankSub.Id, bank.Received[1].Position);
        var holder = await _api.Text($"SELECT lease_holder FROM webhook_subscriptions WHERE id = '{bankSub.Id}'");
        var killed = holder.EndsWith($":{first.Id}") ? first : holder.EndsWith($":{second.Id}") ? second : null;
        Assert.True(killed is not null, $"the lease is held by {holder}, neither of the two processes ({first.Id}, {second.Id})");
        killed.Kill9();
        foreach (var id in pledged) await Ok(_api.Post($"/api/v1/assets/{id}/return", "bank-1", new { }));
        pledged.Add(await Pledged());

        var streams = string.Join(", ", pledged.Select(p => $"'asset-{p}'"));
        var bankExpected = await LoggedIds(_api, bankSub.Position, "'asset-transferred-out', 'asset-returned'", streams);
        var regExpected = await LoggedIds(_api, regSub.Position, string.Join(", ", AssetLedger.Domain.Webhooks.WebhookEventTypes.ByStoredName.Keys.Select(t => $"'{t}'")));
        var bankGot = await bank.Until(r => InOrderAtLeastOnce(r).Count == bankExpected.Count, 60);
        var auditGot = await bankAudit.Until(r => EventsInOrderAtLeastOnce(r).Count == bankExpected.Count, 60);
        var regGot = await regulator.Until(r => InOrderAtLeastOnce(r).Count == regExpected.Count, 60);

        Assert.Equal(bankExpected, InOrderAtLeastOnce(bankGot));
        Assert.Equal(bankExpected, EventsInOrderAtLeastOnce(auditGot));
        Assert.Equal(regExpected, InOrderAtLeastOnce(regGot));
        Assert.True(bankGot.Count(d => d.Id == hung.Id) >= 2, "the event in flight at the kill is delivered again, with its id");
        foreach (var d in bankGot) await AssertSigned(_api, bankSub.Secret, d);
        foreach (var d in auditGot) await AssertSigned(_api, auditSub.Secret, d);
    }

    async Task CursorPassed(string subscription, long position)
    {
        for (var i = 0; i < 200 && await _api.Scalar($"SELECT position FROM webhook_subscriptions WHERE id = '{subscription}'") < position; i++) await Task.Delay(50);
        Assert.True(await _api.Scalar($"SELECT position FROM webhook_subscriptions WHERE id = '{subscription}'") >= position, "the answered events were written");
    }

    async Task<string> Pledged()
    {
        var id = await Active(_api);
        await Ok(_api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        return id;
    }
}
