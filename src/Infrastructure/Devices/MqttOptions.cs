using MQTTnet;
using MQTTnet.Formatter;

namespace AssetLedger.Infrastructure.Devices;

/// <summary>Options under AssetLedger:Mqtt. The registry subscribes only when <see cref="Url"/> is set.</summary>
public sealed class MqttOptions
{
    /// <summary>The broker, <c>mqtt://host:port</c>.</summary>
    public string? Url { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>
    /// This instance's client id, stable across restarts: the broker keeps its session (subscription and unacknowledged
    /// readings) under it while it is away. Each instance needs its own; the default suits one instance per host.
    /// </summary>
    public string ClientId { get; set; } = "assetledger-" + Environment.MachineName.ToLowerInvariant();
    /// <summary>
    /// The shared subscription's group (MQTT 5 <c>$share/{group}/…</c>) when several instances split the readings between
    /// them; empty (the default, one instance): a plain subscription. Mosquitto 2.0.11 (Debian 12) does not restore shared
    /// subscriptions from its persistence file, so after a broker restart a shared group receives nothing until its
    /// instances reconnect; a plain subscription is restored and loses nothing (docs/devices.md).
    /// </summary>
    public string SharedGroup { get; set; } = "";
    /// <summary>How long the broker keeps this instance's session while it is disconnected.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(7);
    /// <summary>Readings the broker may have in flight to this instance, unacknowledged (MQTT 5 Receive Maximum).</summary>
    public ushort ReceiveMaximum { get; set; } = 1000;
    /// <summary>
    /// Devices whose readings are recorded at once. Their appends meet in the event store's group commit (up to 512 a
    /// transaction), so this is how many devices' readings one transaction can hold: with 8, a thousand devices each
    /// publishing single readings took a transaction per 8 readings.
    /// </summary>
    public int Parallelism { get; set; } = 512;

    /// <summary>
    /// How long a reading whose counter skips ahead of the device's log waits for the readings before it, which another
    /// instance of the shared subscription may hold; after that it is recorded (a real gap raises its alarm).
    /// </summary>
    public TimeSpan ReorderWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The topic filter this instance subscribes to.</summary>
    public string Filter => string.IsNullOrEmpty(SharedGroup) ? ReadingTopics.Filter : $"$share/{SharedGroup}/{ReadingTopics.Filter}";

    /// <summary>Connection options for an MQTT 5 client of this broker (the registry, the simulator and the tests).</summary>
    public static MqttClientOptionsBuilder Connection(string url, string? username, string? password, string clientId)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithConnectionUri(url)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15));
        return username is null ? builder : builder.WithCredentials(username, password ?? "");
    }
}
