using System.Formats.Cbor;

namespace AssetLedger.Infrastructure.Devices;

/// <summary>
/// Readings over MQTT: a device publishes to <c>assetledger/devices/{id}/readings</c> (QoS 1) a payload of one or more
/// COSE_Sign1 messages, one after another (a CBOR sequence, RFC 8742): one reading alone is just its COSE message.
/// The registry, the simulator and the tests all read and write the wire here.
/// </summary>
public static class ReadingTopics
{
    public const string Prefix = "assetledger/devices/";
    public const string Suffix = "/readings";

    /// <summary>The filter every device's readings match.</summary>
    public const string Filter = Prefix + "+" + Suffix;

    public static string Of(string device) => Prefix + device + Suffix;

    /// <summary>The device a topic is about, or null when the topic is not a readings topic.</summary>
    public static string? DeviceOf(string topic) =>
        topic.StartsWith(Prefix, StringComparison.Ordinal) && topic.EndsWith(Suffix, StringComparison.Ordinal) && topic.Length > Prefix.Length + Suffix.Length
            ? topic[Prefix.Length..^Suffix.Length] : null;

    /// <summary>A payload of the signed messages (each base64, as ReadingIngestion takes them), in order.</summary>
    public static byte[] Payload(IEnumerable<string> messages) => [.. messages.SelectMany(Convert.FromBase64String)];

    /// <summary>
    /// The payload's messages, base64, in order. A payload that is not a CBOR sequence is passed on whole, so that
    /// ReadingIngestion refuses it as malformed and counts it against the device, as it would over HTTP.
    /// </summary>
    public static IReadOnlyList<string> Messages(ReadOnlySpan<byte> payload)
    {
        var bytes = payload.ToArray();
        var reader = new CborReader(bytes, CborConformanceMode.Lax, allowMultipleRootLevelValues: true);
        var messages = new List<string>();
        try
        {
            while (reader.BytesRemaining > 0) messages.Add(Convert.ToBase64String(reader.ReadEncodedValue().Span));
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException)
        {
            return [Convert.ToBase64String(bytes)];
        }
        return messages.Count == 0 ? [""] : messages;
    }
}
