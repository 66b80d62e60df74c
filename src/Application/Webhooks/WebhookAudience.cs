using AssetLedger.Application.Assets;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Webhooks;

/// <summary>
/// Whether a subscriber may receive an asset event: the API's rule (<see cref="AssetAccess.CanRead"/>) applied with the
/// subscriber's roles as they are when the event is delivered, to the asset as the event left it or as it found it
/// (so an owner hears that its asset was transferred away, and the new owner that it arrived).
/// </summary>
public static class WebhookAudience
{
    public static bool Admits(Actor subscriber, AssetState before, AssetState after) =>
        AssetAccess.CanRead(subscriber, after) || AssetAccess.CanRead(subscriber, before);
}
