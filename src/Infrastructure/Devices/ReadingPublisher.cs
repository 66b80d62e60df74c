using MQTTnet;
using MQTTnet.Protocol;

namespace AssetLedger.Infrastructure.Devices;

/// <summary>A device's side of MQTT (the simulator and the tests): publishes signed readings at QoS 1 and says whether the broker took them.</summary>
public sealed class ReadingPublisher : IAsyncDisposable
{
    readonly IMqttClient _client;

    ReadingPublisher(IMqttClient client) => _client = client;

    public static async Task<ReadingPublisher> Connect(string url, string? username, string? password, string clientId, CancellationToken ct, MqttTls? tls = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            await client.ConnectAsync(MqttOptions.Connection(url, username, password, clientId, tls).WithCleanStart(true).Build(), ct);
            return new ReadingPublisher(client);
        }
        catch { client.Dispose(); throw; }
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Publishes one message holding the readings (each a COSE_Sign1, base64); true once the broker acknowledged it (PUBACK).</summary>
    public async Task<bool> Publish(string device, IEnumerable<string> readings, CancellationToken ct)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(ReadingTopics.Of(device))
            .WithPayload(ReadingTopics.Payload(readings))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _client.PublishAsync(message, ct);
        return result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers;
    }

    public async ValueTask DisposeAsync()
    {
        try { if (_client.IsConnected) await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None); }
        catch (Exception e) when (e is not OutOfMemoryException) { /* already gone: nothing to close */ }
        _client.Dispose();
    }
}
