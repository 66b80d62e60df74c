using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.DeviceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>The API subscribed to scripts/test.sh's Mosquitto, in a shared-subscription group of its own.</summary>
public sealed class MqttApi : IAsyncLifetime
{
    public Mosquitto Broker { get; } = Mosquitto.Shared();
    public ApiServer Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var group = "g" + Guid.NewGuid().ToString("N")[..10];
        var settings = Broker.ServiceSettings("registry-" + group, group);
        // A reading that arrives before its predecessor waits this long for it: on a busy test machine, longer than in service.
        settings["AssetLedger:Mqtt:ReorderWait"] = "00:00:15";
        Api = new ApiServer { Settings = settings };
        await Api.InitializeAsync();
        await Cast(Api);
    }

    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// Issue 18, readings over MQTT: a device publishes its signed readings to assetledger/devices/{id}/readings at QoS 1,
/// one or several COSE messages per payload; the registry records each once, exactly as over HTTP, and refuses (and
/// counts) a repeat as replayed.
/// </summary>
public sealed class devices_over_mqtt(MqttApi fixture) : IClassFixture<MqttApi>
{
    readonly ApiServer api = fixture.Api;

    [Fact]
    public async Task readings_published_over_mqtt_are_logged_once_and_a_repeat_is_refused_as_replayed()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge(api);
        await using var publisher = await fixture.Broker.Publisher();
        string[] first = [Sign(key, device, 1, receipt), Sign(key, device, 2, receipt)];
        Assert.True(await publisher.Publish(device, first, default));
        Assert.True(await publisher.Publish(device, [Sign(key, device, 3, receipt)], default));
        Assert.True(await publisher.Publish(device, first, default));
        Assert.True(await publisher.Publish(device, [Sign(key, device, 4, receipt)], default));

        await Eventually.WaitUntil(async () => await Logged(api, device) == 4, "four readings logged");
        await Eventually.WaitUntil(async () => (await api.Get($"/api/v1/devices/{device}", "wh-1")).Json["refusedReadings"]?["reading.replayed"]?.GetValue<long>() == 2,
            "the repeated message's two readings refused as replayed");
        Assert.Equal([1L, 2L, 3L, 4L], await Counters(api, device));
        // Recorded by the registry's MQTT client, not by a user over HTTP.
        Assert.StartsWith("mqtt:registry-", await api.Text($"SELECT metadata->>'user' FROM events WHERE stream_id = 'device-{device}' AND type = 'device-readings-recorded' LIMIT 1"));
    }

    /// <summary>
    /// MQTT keeps a topic's order only per publishing connection: a device's gateway that reconnects, or a device sending
    /// over two links, can have its third reading delivered before its second. The registry holds the third until the
    /// second comes (here right behind it, to the same lane), records both in counter order and refuses neither; holding
    /// it only for the log to fill the gap, as before, recorded the third after the wait and refused the second as replayed.
    /// </summary>
    [Fact]
    public async Task a_reading_delivered_before_the_one_it_follows_waits_for_it_and_both_are_logged_in_order()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge(api);
        await using var publisher = await fixture.Broker.Publisher();
        Assert.True(await publisher.Publish(device, [Sign(key, device, 1, receipt)], default));
        await Eventually.WaitUntil(async () => await Logged(api, device) == 1, "the first reading logged");
        Assert.True(await publisher.Publish(device, [Sign(key, device, 3, receipt)], default));
        Assert.True(await publisher.Publish(device, [Sign(key, device, 2, receipt)], default));

        await Eventually.WaitUntil(async () => await Logged(api, device) >= 3, "the second and third readings logged", seconds: 60);
        Assert.Equal([1L, 2L, 3L], await Counters(api, device));
        Assert.Equal(0, await api.Scalar($"SELECT coalesce(sum(refused), 0) FROM device_reading_refusals WHERE device = '{device}'"));
    }

    [Fact]
    public async Task a_payload_that_is_not_a_reading_is_counted_against_the_device_and_logs_nothing()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge(api);
        await using var publisher = await fixture.Broker.Publisher();
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        Assert.True(await publisher.Publish(device, [Sign(stranger, device, 1, receipt)], default));
        Assert.True(await publisher.Publish(device, [Convert.ToBase64String("not cbor at all"u8.ToArray())], default));
        await Eventually.WaitUntil(async () => (await api.Get($"/api/v1/devices/{device}", "wh-1")).Json["refusedReadings"]?.AsObject().Count == 2,
            "the stranger's reading and the garbage both counted");
        var counts = (await api.Get($"/api/v1/devices/{device}", "wh-1")).Json["refusedReadings"]!;
        Assert.Equal(1, counts["reading.unknown_key"]!.GetValue<long>());
        Assert.Equal(1, counts["reading.malformed"]!.GetValue<long>());
        Assert.Equal(0, await Logged(api, device));
    }
}
