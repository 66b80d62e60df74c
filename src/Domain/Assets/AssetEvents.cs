using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Assets;

/// <summary>A fact in an asset's history. Stored names never change; a new shape is a new V2 record.</summary>
public interface IAssetEvent
{
    AssetId Asset { get; }
    DateTimeOffset At { get; }
}

[StoredEvent("asset-registered")]
public sealed record AssetRegistered(
    AssetId Asset, AssetKind Kind, ParticipantId Owner, AssetDetails Details, string Key,
    IReadOnlyList<ConfirmerRequirement> RequiredConfirmers, ParticipantId By, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-confirmed")]
public sealed record AssetConfirmed(AssetId Asset, ParticipantId By, string Slot, string? Comment, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-rejected")]
public sealed record AssetRejected(AssetId Asset, ParticipantId By, string Slot, string? Comment, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-amended")]
public sealed record AssetAmended(AssetId Asset, AssetDetails Details, bool Material, ParticipantId By, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-transfer-offered")]
public sealed record AssetTransferOffered(AssetId Asset, ParticipantId From, ParticipantId To, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-transferred")]
public sealed record AssetTransferred(AssetId Asset, ParticipantId From, ParticipantId To, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-transfer-declined")]
public sealed record AssetTransferDeclined(AssetId Asset, ParticipantId By, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-transfer-withdrawn")]
public sealed record AssetTransferWithdrawn(AssetId Asset, ParticipantId By, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-transferred-out")]
public sealed record AssetTransferredOut(AssetId Asset, ParticipantId Venue, VenuePurpose Purpose, ParticipantId By, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-returned")]
public sealed record AssetReturned(AssetId Asset, ParticipantId Venue, ParticipantId PreviousOwner, ParticipantId Owner, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-frozen")]
public sealed record AssetFrozen(AssetId Asset, string FreezeId, FreezeAuthority Authority, string Reason, ParticipantId By, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-unfrozen")]
public sealed record AssetUnfrozen(AssetId Asset, string FreezeId, string? Reason, ParticipantId By, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-cancelled")]
public sealed record AssetCancelled(AssetId Asset, string Reason, ParticipantId By, DateTimeOffset At) : IAssetEvent;

[StoredEvent("evidence-attached")]
public sealed record EvidenceAttached(AssetId Asset, string Sha256, string MediaType, string? Description, string Source, ParticipantId By, DateTimeOffset At) : IAssetEvent;

/// <summary>The custodian warehouse asks the venue holding the receipt to consent to a part delivery.</summary>
[StoredEvent("asset-release-requested")]
public sealed record AssetReleaseRequested(AssetId Asset, string DeliveryOrder, Quantity Quantity, ParticipantId By, DateTimeOffset At) : IAssetEvent;

/// <summary>Goods left the warehouse: the receipt's quantity is now <paramref name="Remaining"/>; at zero the receipt is Released.</summary>
/// <param name="ConsentedBy">The venue that consented (or released itself) while the receipt was out; null when it was not out.</param>
[StoredEvent("asset-goods-released")]
public sealed record AssetGoodsReleased(AssetId Asset, string DeliveryOrder, Quantity Released, Quantity Remaining, ParticipantId By,
    ParticipantId? ConsentedBy, DateTimeOffset At) : IAssetEvent;

[StoredEvent("asset-release-declined")]
public sealed record AssetReleaseDeclined(AssetId Asset, string DeliveryOrder, string? Comment, ParticipantId By, DateTimeOffset At) : IAssetEvent;

/// <summary>The confirmations named in <paramref name="MissingSlots"/> were not in by <paramref name="Deadline"/> (pending since + the policy's window).</summary>
[StoredEvent("asset-expired")]
public sealed record AssetExpired(AssetId Asset, DateTimeOffset PendingSince, DateTimeOffset Deadline, IReadOnlyList<string> MissingSlots, ParticipantId By, DateTimeOffset At) : IAssetEvent;

/// <summary>The receipt was divided into <paramref name="Parts"/> (quantities summing exactly to <paramref name="Whole"/>); it is now Split, closed.</summary>
/// <param name="By">The owner, or the venue holding the receipt while it is out.</param>
[StoredEvent("asset-split")]
public sealed record AssetSplit(AssetId Asset, Quantity Whole, IReadOnlyList<SplitPart> Parts, ParticipantId By, DateTimeOffset At) : IAssetEvent;

/// <summary>
/// The first event of a part's stream: a new receipt for part of <paramref name="Parent"/>'s goods, split off by the parent's
/// event at <paramref name="ParentVersion"/>. It starts Active with the parent's confirmations and, if the parent was out at
/// a venue, the same custody: a split neither loses nor adds a lock.
/// </summary>
[StoredEvent("asset-split-off")]
public sealed record AssetSplitOff(AssetId Asset, AssetId Parent, long ParentVersion, AssetKind Kind, ParticipantId Owner, AssetDetails Details, string Key,
    IReadOnlyList<ConfirmerRequirement> RequiredConfirmers, IReadOnlyList<CarriedConfirmation> Confirmations, Custody? Custody, ParticipantId Registrant,
    ParticipantId By, DateTimeOffset At) : IAssetEvent;

public static class AssetEventTypes
{
    /// <summary>Every asset event type, for the serializer's registry.</summary>
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(AssetRegistered), typeof(AssetConfirmed), typeof(AssetRejected), typeof(AssetAmended),
        typeof(AssetTransferOffered), typeof(AssetTransferred), typeof(AssetTransferDeclined), typeof(AssetTransferWithdrawn),
        typeof(AssetTransferredOut), typeof(AssetReturned), typeof(AssetFrozen), typeof(AssetUnfrozen),
        typeof(AssetCancelled), typeof(EvidenceAttached), typeof(AssetReleaseRequested), typeof(AssetGoodsReleased), typeof(AssetReleaseDeclined),
        typeof(AssetExpired), typeof(AssetSplit), typeof(AssetSplitOff), typeof(IotAlarmRaised), typeof(IotAlarmClearanceGiven), typeof(IotAlarmCleared),
    ];
}
