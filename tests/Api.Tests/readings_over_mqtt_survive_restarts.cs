using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Devices;
using AssetLedger.Infrastructure.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.DeviceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 18, readings over MQTT against failures: the registry subscribes with a persistent session and acknowledges a
/// message only once its readings are committed, so a registry killed (SIGKILL) mid-stream finds, on restart under the
/// same client id, everything published meanwhile; two instances in one shared-subscription group split the stream and
/// record each reading once; a broker restarted under a stream loses none of the readings it acknowledged.
/// The API instances under test are processes of their own (ApiProcess) on this fixture's database.
/// </summary>
public sealed class readings_over_mqtt_survive_restarts(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static string Group() => "g" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A predecessor held by the other instance is worth waiting for: on this busy machine, longer than in service.</summary>
    static Dictionary<string, string> Settings(Mosquitto broker, string clientId, string group)
    {
        var settings = broker.ServiceSettings(clientId, group);
        settings["AssetLedger:Mqtt:ReorderWait"] = "00:00:15";
        return settings;
    }

    [Fact]
    public async Task a_registry_killed_mid_stream_finds_every_reading_published_while_it_was_down()
    {
        var broker = Mosquitto.Shared();
        var (device, receipt, key) = await ConfirmedWeighbridge(api);
        var group = Group();
        var registry = await ApiProcess.Start(api, Settings(broker, "registry-" + group, group));
        await using var publisher = await broker.Publisher();
        for (var n = 1; n <= 30; n++) Assert.True(await publisher.Publish(device, [Sign(key, device, n, receipt)], default));
        await Eventually.WaitUntil(async () => await Logged(api, device) >= 5, "the registry recording the stream");
        registry.Kill9();
        // Published while no registry runs: the broker queues them in the registry's session.
        for (var n = 31; n <= 60; n++) Assert.True(await publisher.Publish(device, [Sign(key, device, n, receipt)], default));
        await using var restarted = await ApiProcess.Start(api, Settings(broker, "registry-" + group, group));
        await Eventually.WaitUntil(async () => await Logged(api, device) >= 60, "all sixty readings logged after the restart", seconds: 90);
        Assert.Equal(Enumerable.Range(1, 60).Select(n => (long)n), await Counters(api, device));
    }

    [Fact]
    public async Task two_instances_share_the_subscription_and_record_each_reading_once()
    {
        var broker = Mosquitto.Shared();
        var devices = new[] { await ConfirmedWeighbridge(api), await ConfirmedWeighbridge(api), await ConfirmedWeighbridge(api) };
        var group = Group();
        await using var first = await ApiProcess.Start(api, Settings(broker, "first-" + group, group));
        await using var second = await ApiProcess.Start(api, Settings(broker, "second-" + group, group));
        await using var publisher = await broker.Publisher();
        for (var n = 1; n <= 40; n++)
            foreach (var (device, receipt, key) in devices)
                Assert.True(await publisher.Publish(device, [Sign(key, device, n, receipt)], default));

        foreach (var (device, _, _) in devices)
        {
            await Eventually.WaitUntil(async () => await Logged(api, device) >= 40, $"forty readings of {device}", seconds: 90);
            Assert.Equal(Enumerable.Range(1, 40).Select(n => (long)n), await Counters(api, device));
        }
        var ids = string.Join(",", devices.Select(d => $"'device-{d.Device}'"));
        // Both instances took a share; neither saw a reading the other had recorded (no replays counted).
        Assert.Equal(2, await api.Scalar($"SELECT count(DISTINCT metadata->>'user') FROM events WHERE stream_id IN ({ids}) AND type = 'device-readings-recorded'"));
        Assert.Equal(0, await api.Scalar($"SELECT coalesce(sum(refused), 0) FROM device_reading_refusals WHERE device IN ({string.Join(",", devices.Select(d => $"'{d.Device}'"))})"));
    }

    [Fact]
    public async Task a_broker_restarted_under_a_stream_loses_no_reading_it_acknowledged()
    {
        await using var broker = await Mosquitto.StartOwn();
        var (device, receipt, key) = await ConfirmedWeighbridge(api);
        var group = Group();
        // A plain subscription: Mosquitto 2.0.11 does not restore a shared one after a restart (MqttOptions.SharedGroup).
        await using var registry = await ApiProcess.Start(api, Settings(broker, "registry-" + group, ""));
        var acknowledged = new List<long>();
        using var stop = new CancellationTokenSource();
        var stream = Task.Run(async () =>
        {
            ReadingPublisher? publisher = null;
            for (var n = 1L; n <= 400 && !stop.IsCancellationRequested; n++)
            {
                try
                {
                    publisher ??= await broker.Publisher();
                    if (await publisher.Publish(device, [Sign(key, device, n, receipt)], default)) acknowledged.Add(n);
                }
                catch (Exception)
                {
                    // Not acknowledged: the broker is down. A device keeps measuring; this reading is simply not sent.
                    if (publisher is not null) await publisher.DisposeAsync();
                    publisher = null;
                    await Task.Delay(100);
                }
                await Task.Delay(5);
            }
            if (publisher is not null) await publisher.DisposeAsync();
        });
        await Eventually.WaitUntil(() => Task.FromResult(acknowledged.Count >= 100), "a hundred readings acknowledged");
        await broker.Stop();
        await Task.Delay(1000);
        await broker.Start();
        await stream;
        Assert.True(acknowledged.Count > 100, $"{acknowledged.Count} acknowledged");
        try { await Eventually.WaitUntil(async () => (await Counters(api, device)).Count >= acknowledged.Count, "every acknowledged reading logged", seconds: 90); }
        catch (TimeoutException)
        {
            var missing = acknowledged.Except(await Counters(api, device));
            var refused = await api.Text($"SELECT coalesce(string_agg(reason || '=' || refused, ','), '') FROM device_reading_refusals WHERE device = '{device}'");
            Assert.Fail($"acknowledged but not logged: {string.Join(",", missing)}; refused: {refused}; the registry said:\n{string.Join("\n", registry.Output.TakeLast(20))}\nbroker:\n{string.Join("\n", File.ReadAllLines(Path.Combine(broker.Directory, "mosquitto.log")).TakeLast(40))}");
        }
        var logged = await Counters(api, device);
        // Every acknowledged reading is in the log, once; nothing is in it twice.
        Assert.Empty(acknowledged.Except(logged));
        Assert.Equal(logged.Count, logged.Distinct().Count());
    }
}
