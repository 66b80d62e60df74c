using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Assets;

/// <summary>A request to change an asset. Time, ids and the actor arrive on the command, so deciding needs no I/O.</summary>
public interface IAssetCommand
{
    AssetId Asset { get; }
    Actor Actor { get; }
    DateTimeOffset At { get; }
}

/// <summary>Raw registration input; the decider validates it per kind.</summary>
public sealed record RegisterAsset(AssetId Asset, AssetKind Kind, ParticipantId Owner, AssetDetails Details, Actor Actor, DateTimeOffset At) : IAssetCommand;

public sealed record ConfirmAsset(AssetId Asset, bool Approve, string? Comment, Actor Actor, DateTimeOffset At) : IAssetCommand;

/// <summary>New values for the fields that may change; null keeps the current value.</summary>
public sealed record AmendAsset(AssetId Asset, AssetDetails Changes, Actor Actor, DateTimeOffset At) : IAssetCommand;

public sealed record OfferTransfer(AssetId Asset, ParticipantId To, Actor Actor, DateTimeOffset At) : IAssetCommand;

public sealed record AcceptTransfer(AssetId Asset, Actor Actor, DateTimeOffset At) : IAssetCommand;

public sealed record DeclineTransfer(AssetId Asset, Actor Actor, DateTimeOffset At) : IAssetCommand;

public sealed record WithdrawTransfer(AssetId Asset, Actor Actor, DateTimeOffset At) : IAssetCommand;

/// <summary>Send the asset to a venue; <paramref name="VenueRoles"/> are the venue's roles, looked up by the caller.</summary>
public sealed record TransferOut(AssetId Asset, ParticipantId Venue, IReadOnlySet<Role> VenueRoles, VenuePurpose Purpose, Actor Actor, DateTimeOffset At) : IAssetCommand;

public sealed record ReturnAsset(AssetId Asset, ParticipantId? NewOwner, Actor Actor, DateTimeOffset At) : IAssetCommand;

public sealed record FreezeAsset(AssetId Asset, string FreezeId, FreezeAuthority Authority, string Reason, Actor Actor, DateTimeOffset At) : IAssetCommand;

public sealed record UnfreezeAsset(AssetId Asset, string FreezeId, string? Reason, Actor Actor, DateTimeOffset At) : IAssetCommand;

public sealed record CancelAsset(AssetId Asset, string Reason, Actor Actor, DateTimeOffset At) : IAssetCommand;

/// <summary>
/// Part delivery (部分提货) of a warehouse receipt's goods against a delivery order: by the custodian warehouse, which
/// while the receipt is out at a venue only asks (the venue answers with <see cref="AnswerRelease"/>), or by that venue
/// in one step. <paramref name="Quantity"/> is in the receipt's unit.
/// </summary>
public sealed record ReleaseGoods(AssetId Asset, string DeliveryOrder, string Quantity, string? Unit, Actor Actor, DateTimeOffset At) : IAssetCommand;

/// <summary>The venue's consent to, or refusal of, the pending release request.</summary>
public sealed record AnswerRelease(AssetId Asset, bool Consent, string? Comment, Actor Actor, DateTimeOffset At) : IAssetCommand;

/// <summary>
/// Split (拆分) a warehouse receipt into new receipts whose quantities sum exactly to its own; each part names the new
/// asset's id (the caller makes it, like every id) and optionally its receipt number (else the parent's with "-1", "-2", …).
/// </summary>
public sealed record SplitAsset(AssetId Asset, IReadOnlyList<SplitPartRequest> Parts, Actor Actor, DateTimeOffset At) : IAssetCommand;

/// <param name="Quantity">A positive decimal string in the receipt's unit.</param>
public sealed record SplitPartRequest(AssetId Asset, string Quantity, string? ReceiptNumber = null);

/// <summary>The registry's timer: a Pending asset whose confirmations are not all in by its deadline expires.</summary>
public sealed record ExpireAsset(AssetId Asset, Actor Actor, DateTimeOffset At) : IAssetCommand;

public sealed record AttachEvidence(AssetId Asset, string Sha256, string MediaType, string? Description, string Source, Actor Actor, DateTimeOffset At) : IAssetCommand;
