using AssetLedger.Api.Tests.Support;
using Npgsql;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Webhooks;
using Answer = AssetLedger.Api.Tests.Support.WebhookReceiver.Answer;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 19, delivery latency: while a request stays open the deliverer writes the answers before it (so a crash resends
/// little), but the next event must not wait for that write. The test holds every attempt write back (an exclusive lock on
/// <c>webhook_attempts</c>) while the endpoint answers the second of five events slowly: all five still arrive, in log
/// order, before any write lands; once the lock goes, the cursor passes all five and the attempts show them. A deliverer
/// that waited for its write after the slow answer would send nothing more until the lock went.
/// </summary>
public sealed class webhooks_write_the_cursor_beside_open_requests : IAsyncLifetime
{
    // The service gives up a lock wait after 5 s (then resends the batch); the test holds its lock until all five arrive,
    // which on a loaded machine can take longer, so its service waits a minute.
    readonly ApiServer _api = new() { Settings = FastSettings(lease: "00:00:30", timeout: "00:00:10"), SessionOptions = "-c lock_timeout=60000" };

    public async Task InitializeAsync() { await _api.InitializeAsync(); await Cast(_api); }
    public Task DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task the_next_event_goes_while_the_write_for_the_ones_before_is_held_up()
    {
        var (_, from, last, expected) = await PledgedToTheBank(_api, 5);
        await using var receiver = await WebhookReceiver.Start();
        receiver.SlowFor = TimeSpan.FromMilliseconds(500);
        var sub = await Subscribe(_api, "bank-1", receiver.Url, new { eventTypes = new[] { "cn.assetledger.asset.transferred-out" } });
        receiver.Then(Answer.Ok, Answer.Slow, Answer.Ok, Answer.Ok, Answer.Ok);

        await using (var blocker = new NpgsqlConnection(_api.ConnectionString))
        {
            await blocker.OpenAsync();
            await using var tx = await blocker.BeginTransactionAsync();
            await using (var lockAttempts = new NpgsqlCommand("LOCK TABLE webhook_attempts IN EXCLUSIVE MODE", blocker, tx)) await lockAttempts.ExecuteNonQueryAsync();

            // A replay puts all five in one batch; the answer to the first is written while the second is open, and waits.
            await Ok(_api.Post($"/api/v1/webhooks/{sub.Id}/replay", "bank-1", new { fromPosition = from }));
            var arrived = await receiver.Until(r => r.Count == 5, 60);
            Assert.Equal(expected, InOrderOnce(arrived));
            Assert.True(await _api.Scalar($"SELECT position FROM webhook_subscriptions WHERE id = '{sub.Id}'") < from, "no cursor write landed yet");
            await tx.RollbackAsync();
        }

        for (var i = 0; i < 300 && await _api.Scalar($"SELECT position FROM webhook_subscriptions WHERE id = '{sub.Id}'") < last; i++) await Task.Delay(50);
        Assert.True(await _api.Scalar($"SELECT position FROM webhook_subscriptions WHERE id = '{sub.Id}'") >= last, "the cursor passes all five once the writes land");
        var attempts = (await _api.Get($"/api/v1/webhooks/{sub.Id}/attempts", "bank-1")).Json["attempts"]!.AsArray();
        Assert.Equal(expected.Order(), attempts.Select(a => a!["eventId"]!.GetValue<string>()).Order());
        Assert.All(attempts, a => Assert.Equal(200, a!["statusCode"]!.GetValue<int>()));
    }
}
