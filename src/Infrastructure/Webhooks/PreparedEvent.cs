using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>
/// One event of the log as every subscription needs it, worked out once per instance: its CloudEvent type (null when it
/// is not a webhook event), the asset as the event found it and left it (for the kind filter and the audience), and,
/// once some subscription sends it, its body and <c>v1a</c> signature (<see cref="WebhookSender"/>). Only the filters,
/// the <c>v1</c> HMAC and the request itself are per subscription.
/// </summary>
public sealed class PreparedEvent(StoredEvent e, string? type, AssetState? before, AssetState? after)
{
    public StoredEvent Event { get; } = e;
    public long Position => Event.Position;
    public string? Type { get; } = type;
    public AssetState? Before { get; } = before;
    public AssetState? After { get; } = after;

    /// <summary>Its structured CloudEvent (UTF-8 JSON), the same for every subscriber and every timestamp; built on first use.</summary>
    internal byte[]? Body { get; set; }

    /// <summary>The signed message last built for it; lanes racing to build it may both do so, and either is right.</summary>
    internal SignedMessage? Signed { get; set; }
}

/// <summary>
/// A message ready to send: the body and the content the signatures cover (<c>id.timestamp.body</c>, one timestamp for
/// all subscribers of the event), with the registry's <c>v1a</c> entry; each subscription adds its own <c>v1</c>.
/// </summary>
sealed record SignedMessage(long Timestamp, ReadOnlyMemory<byte> Body, byte[] SignedContent, string V1a);
