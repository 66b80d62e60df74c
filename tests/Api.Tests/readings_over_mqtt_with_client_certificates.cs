using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Devices;
using AssetLedger.Infrastructure.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.DeviceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>The API subscribed over the broker's TLS listener, presenting the registry's client certificate (no password).</summary>
public sealed class MqttTlsApi : IAsyncLifetime
{
    public Mosquitto Broker { get; } = Mosquitto.Shared();
    public ApiServer Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var group = "t" + Guid.NewGuid().ToString("N")[..10];
        Api = new ApiServer { Settings = Broker.ServiceSettingsOverTls("registry-" + group, group) };
        await Api.InitializeAsync();
        await Cast(Api);
    }

    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// Issue 18, TLS with client certificates: scripts/lib/mqtt.sh's second listener requires a certificate signed by the
/// broker's own CA, and takes the certificate's name as the user (so the ACL holds: `devices` publish, `registry` reads).
/// The registry subscribes over it and records what a device publishes over it; a client with no certificate, or with
/// one another CA signed, is turned away before it can publish anything.
/// </summary>
public sealed class readings_over_mqtt_with_client_certificates(MqttTlsApi fixture) : IClassFixture<MqttTlsApi>
{
    readonly ApiServer api = fixture.Api;

    [Fact]
    public async Task a_device_with_its_certificate_publishes_over_tls_and_the_registry_subscribed_over_tls_logs_it()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge(api);
        await using var publisher = await fixture.Broker.PublisherOverTls("devices");

        Assert.True(await publisher.Publish(device, [Sign(key, device, 1, receipt)], default));
        Assert.True(await publisher.Publish(device, [Sign(key, device, 2, receipt)], default));

        await Eventually.WaitUntil(async () => await Logged(api, device) == 2, "both readings logged");
        Assert.Equal([1L, 2L], await Counters(api, device));
        Assert.StartsWith("mqtt:registry-t", await api.Text($"SELECT metadata->>'user' FROM events WHERE stream_id = 'device-{device}' AND type = 'device-readings-recorded' LIMIT 1"));
    }

    [Fact]
    public async Task a_client_without_a_certificate_from_the_broker_s_ca_is_refused()
    {
        // The devices' own password, but no certificate: the TLS listener wants one.
        await Assert.ThrowsAnyAsync<Exception>(() => ReadingPublisher.Connect(fixture.Broker.TlsUrl, fixture.Broker.DevicesUser, fixture.Broker.DevicesPassword,
            "test-no-cert-" + Guid.NewGuid().ToString("N")[..8], CancellationToken.None, new MqttTls(fixture.Broker.CaFile, null, null)));
        // A well-formed certificate that names `devices`, signed by another CA.
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.Broker.PublisherOverTls("stranger"));
        // The same client with the certificate the broker's CA signed gets in.
        await using var legitimate = await fixture.Broker.PublisherOverTls("devices");
        Assert.True(legitimate.IsConnected);
    }
}
