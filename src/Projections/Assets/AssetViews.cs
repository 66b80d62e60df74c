using System.Text.Json;
using System.Text.Json.Serialization;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Projections.Assets;

// What the asset queries answer: JSON-friendly (decimals as strings, UTC times, enums as their names).

public sealed record AssetView
{
    /// <summary>The asset id as 32 hex digits, as <see cref="AssetLedger.Domain.Common.AssetId"/> writes it.</summary>
    public required string Id { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<AssetKind>))] public AssetKind Kind { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<AssetStatus>))] public AssetStatus Status { get; init; }
    public required string OwnerId { get; init; }
    /// <summary>warehouse + receipt number, debtor + bill number, or the content hash; registered once, for ever.</summary>
    public required string NaturalKey { get; init; }
    public string? WarehouseId { get; init; }
    public string? ReceiptNumber { get; init; }
    public string? Commodity { get; init; }
    /// <summary>A decimal string such as "1200.5", with <see cref="QuantityUnit"/>.</summary>
    public string? Quantity { get; init; }
    public string? QuantityUnit { get; init; }
    public string? DebtorId { get; init; }
    public string? BillNumber { get; init; }
    /// <summary>A decimal string such as "100000.00", with <see cref="Currency"/>.</summary>
    public string? Amount { get; init; }
    public string? Currency { get; init; }
    public DateOnly? DueDate { get; init; }
    public string? Title { get; init; }
    public string? ContentSha256 { get; init; }
    public string? MediaType { get; init; }
    public string? Description { get; init; }
    public bool Frozen { get; init; }
    public int FreezeCount { get; init; }
    public bool Out { get; init; }
    public string? VenueId { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<VenuePurpose>))] public VenuePurpose? VenuePurpose { get; init; }
    public bool Offered { get; init; }
    public string? OfferedTo { get; init; }
    public int ConfirmationsRequired { get; init; }
    /// <summary>Confirmations in the current round; a material amendment starts a new round at 0.</summary>
    public int ConfirmationsGiven { get; init; }
    public int ConfirmationRound { get; init; }
    public int EvidenceCount { get; init; }
    public long Version { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public long RegisteredPosition { get; init; }
    public DateTimeOffset LastChangedAt { get; init; }
    public long LastPosition { get; init; }
    /// <summary>The receipt this one was split from (32 hex), if any.</summary>
    public string? ParentId { get; init; }
    /// <summary>The parts a Split receipt became (32 hex each); empty otherwise.</summary>
    public string[] SplitInto { get; init; } = [];
}

/// <param name="NextCursor">Pass back for the next page; null on the last page.</param>
public sealed record AssetPage(IReadOnlyList<AssetView> Items, string? NextCursor);

/// <summary>Which assets to list; every field set narrows the list (and), null fields do not filter.</summary>
public sealed record AssetFilter
{
    public AssetKind? Kind { get; init; }
    public AssetStatus? Status { get; init; }
    public string? OwnerId { get; init; }
    public string? WarehouseId { get; init; }
    public string? DebtorId { get; init; }
    /// <summary>Assets out at this venue (a trading center or a bank).</summary>
    public string? VenueId { get; init; }
    public string? Commodity { get; init; }
    /// <summary>Assets with a pending transfer offer to this participant (the console's "offers to accept").</summary>
    public string? OfferedTo { get; init; }
    /// <summary>The parts split from this receipt.</summary>
    public Guid? ParentId { get; init; }
    public AssetLock? Locked { get; init; }
    /// <summary>
    /// Pending assets with an open confirmer slot (not filled in the current round) that admits this actor, as
    /// <see cref="AssetLedger.Domain.Assets.ConfirmerRequirement.Admits"/> reads a slot: named for it, or open to one of
    /// its roles. Only a narrowing from the stored slots: the decider still judges each one (the console's "to confirm").
    /// </summary>
    public Actor? SlotOpenTo { get; init; }
    /// <summary>Only assets this actor may read, as <see cref="AssetLedger.Application.Assets.AssetAccess"/> decides.</summary>
    public Actor? VisibleTo { get; init; }
}

/// <summary>A lock filter: any lock, one kind of lock, or none.</summary>
public enum AssetLock { Any, Frozen, Out, Offered, None }

/// <summary>One event of an asset's timeline.</summary>
public sealed record HistoryEntry
{
    public long Position { get; init; }
    public long Version { get; init; }
    public Guid EventId { get; init; }
    /// <summary>The stored event name, e.g. "asset-transferred".</summary>
    public required string Type { get; init; }
    /// <summary>The participant whose command caused the event.</summary>
    public string? ActorId { get; init; }
    public DateTimeOffset At { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    /// <summary>SHA-256 of the event's canonical envelope, hex; <see cref="PreviousHash"/> links the asset's chain.</summary>
    public required string Hash { get; init; }
    public string? PreviousHash { get; init; }
    public JsonElement Data { get; init; }
}

/// <summary>A period in which one participant owned the asset; the current one has no end.</summary>
public sealed record OwnershipPeriod
{
    public required string OwnerId { get; init; }
    public DateTimeOffset From { get; init; }
    public long FromPosition { get; init; }
    public DateTimeOffset? To { get; init; }
    public long? ToPosition { get; init; }
}

public enum ConfirmationDecision { Approved, Rejected }

public sealed record ConfirmationView
{
    /// <summary>1, then one more after each material amendment: only the asset's current round counts toward Active.</summary>
    public int Round { get; init; }
    public required string Slot { get; init; }
    public required string ParticipantId { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<ConfirmationDecision>))] public ConfirmationDecision Decision { get; init; }
    public string? Comment { get; init; }
    public DateTimeOffset At { get; init; }
    public long Position { get; init; }
}

public enum EncumbranceKind { Offer, Custody, Freeze }

/// <summary>A lock on the asset, open (no LiftedAt) or lifted.</summary>
public sealed record EncumbranceView
{
    /// <summary>The position of the event that placed it: identifies the lock.</summary>
    public long Id { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<EncumbranceKind>))] public EncumbranceKind Kind { get; init; }
    public string? FreezeId { get; init; }
    public required string PlacedBy { get; init; }
    /// <summary>Offer: the assignee; Custody: the venue.</summary>
    public string? CounterpartyId { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<FreezeAuthority>))] public FreezeAuthority? Authority { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<VenuePurpose>))] public VenuePurpose? Purpose { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset PlacedAt { get; init; }
    public DateTimeOffset? LiftedAt { get; init; }
    public string? LiftedBy { get; init; }
    public long? LiftedPosition { get; init; }
    /// <summary>Accepted, Declined, Withdrawn, Returned or Unfrozen.</summary>
    public string? LiftedHow { get; init; }
    public string? LiftReason { get; init; }
}
