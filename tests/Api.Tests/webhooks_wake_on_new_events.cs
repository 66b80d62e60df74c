using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Webhooks;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 19, delivery latency: a commit wakes the deliverer at once, in the instance that committed it and, through
/// PostgreSQL's NOTIFY, in another. The deliverers here look on their own only every ten minutes, so a delivery that
/// arrives within the test's wait arrived before that poll would have fired: it was the commit that woke them.
/// </summary>
public sealed class webhooks_wake_on_new_events : IAsyncLifetime
{
    static readonly Dictionary<string, string> Delivering = new(FastSettings()) { ["AssetLedger:Webhooks:PollInterval"] = "00:10:00" };
    readonly ApiServer _quiet = new() { Settings = new Dictionary<string, string>(Delivering) { ["AssetLedger:Webhooks:Deliver"] = "false" } };
    ApiServer _delivering = null!;

    public async Task InitializeAsync()
    {
        await _quiet.InitializeAsync();
        await Cast(_quiet);
        _delivering = await _quiet.SecondInstance(Delivering);
    }

    public async Task DisposeAsync()
    {
        await _delivering.DisposeAsync();
        await _quiet.DisposeAsync();
    }

    [Fact]
    public async Task a_commit_wakes_the_deliverer_of_its_own_instance()
    {
        await using var receiver = await WebhookReceiver.Start();
        var sub = await Subscribe(_delivering, "bank-1", receiver.Url);
        var id = await Active(_delivering);
        await Ok(_delivering.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));

        var expected = await LoggedIds(_delivering, sub.Position, "'asset-transferred-out'", $"'asset-{id}'");
        Assert.Equal(expected, InOrderOnce(await receiver.Until(r => r.Count == 1, 60)));
    }

    [Fact]
    public async Task a_commit_in_another_instance_wakes_the_deliverer_through_notify()
    {
        await using var receiver = await WebhookReceiver.Start();
        var sub = await Subscribe(_quiet, "bank-1", receiver.Url);
        var id = await Active(_quiet);
        await Ok(_quiet.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));

        var expected = await LoggedIds(_quiet, sub.Position, "'asset-transferred-out'", $"'asset-{id}'");
        Assert.Equal(expected, InOrderOnce(await receiver.Until(r => r.Count == 1, 60)));
    }
}
