using System.Text.Json;
using System.Text.Json.Serialization;
using AssetLedger.Domain.Assets;
using AssetLedger.Projections.Assets;

namespace AssetLedger.Projections.Trace;

// What the regulator's trace answers: JSON-ready like AssetView (decimals as strings, UTC times, enums by name).

/// <summary>The moment a trace answer describes: every part of one answer is read in one database snapshot.</summary>
/// <param name="ProjectedThrough">The read models include the log up to this position.</param>
/// <param name="TreeSize">Events in the Merkle tree so far (it runs ahead of the latest checkpoint).</param>
/// <param name="LatestCheckpoint">Tree size of the newest signed checkpoint, null before the first.</param>
public sealed record TraceSnapshot(long ProjectedThrough, long TreeSize, long? LatestCheckpoint, DateTimeOffset? LatestCheckpointAt, DateTimeOffset TakenAt);

/// <summary>A participant as the registry knows it; <c>Name</c> is null for an id that is not (or not yet) a registered participant.</summary>
public sealed record ParticipantRef(string Id, string? Name, IReadOnlyList<string> Roles);

/// <summary>An asset's whole story in one answer: what it is now, every event with its proof, owners, locks, confirmations and evidence.</summary>
/// <param name="ParentId">The receipt this one was split from (its trace tells the history before the split).</param>
/// <param name="SplitInto">The receipts this one was split into.</param>
public sealed record AssetTrace(
    TraceSnapshot Snapshot, AssetView Asset, IReadOnlyList<TraceEvent> Events, IReadOnlyList<OwnershipLink> Ownership,
    IReadOnlyList<TraceLock> Locks, IReadOnlyList<TraceConfirmation> Confirmations, IReadOnlyList<TraceEvidence> Evidence,
    string? ParentId = null, IReadOnlyList<string>? SplitInto = null);

/// <param name="Summary">One sentence for a person, e.g. "Transferred out to 浦东商业银行 (bank-1) for Financing".</param>
/// <param name="Data">The event as stored.</param>
public sealed record TraceEvent(
    long Position, long Version, Guid EventId, string Type, string Summary, TraceActor? Actor, DateTimeOffset At, DateTimeOffset RecordedAt,
    string Hash, string? PreviousHash, ProofStatus Proof, JsonElement Data);

/// <param name="ActingAs">The capacity the event shows: Owner, Warehouse, Confirmer, Assignee, Venue, Regulator, System…</param>
public sealed record TraceActor(string Id, string? Name, IReadOnlyList<string> Roles, string ActingAs);

/// <summary>How far the ledger vouches for an event.</summary>
public enum ProofState
{
    /// <summary>In the log at its position; no signed checkpoint covers it yet.</summary>
    Sequenced,
    /// <summary>Covered by a signed checkpoint (its inclusion proof can be checked against that checkpoint's root).</summary>
    Checkpointed,
    /// <summary>Covered by a checkpoint that an anchor (the local anchor log, a chain) has recorded.</summary>
    Anchored,
}

/// <param name="Checkpoint">Tree size of the first signed checkpoint that covers the event.</param>
/// <param name="Anchors">Per anchor, the first anchored checkpoint covering the event, with its receipt.</param>
/// <param name="Description">e.g. "anchored at local (checkpoint 1000, reference 12)".</param>
public sealed record ProofStatus(
    [property: JsonConverter(typeof(JsonStringEnumConverter<ProofState>))] ProofState State,
    long? Checkpoint, DateTimeOffset? CheckpointAt, IReadOnlyList<AnchorRef> Anchors, string Description);

public sealed record AnchorRef(string Anchor, long TreeSize, string TransactionReference, DateTimeOffset AnchoredAt);

/// <summary>One owner's period; the current one has no end.</summary>
public sealed record OwnershipLink(ParticipantRef Owner, DateTimeOffset From, long FromPosition, DateTimeOffset? To, long? ToPosition);

/// <summary>A lock placed on the asset, with who placed and who lifted it.</summary>
public sealed record TraceLock(
    long Id, [property: JsonConverter(typeof(JsonStringEnumConverter<EncumbranceKind>))] EncumbranceKind Kind, string? FreezeId,
    ParticipantRef PlacedBy, ParticipantRef? Counterparty, string? Authority, string? Purpose, string? Reason, DateTimeOffset PlacedAt,
    long PlacedPosition, DateTimeOffset? LiftedAt, ParticipantRef? LiftedBy, long? LiftedPosition, string? LiftedHow, string? LiftReason);

public sealed record TraceConfirmation(int Round, string Slot, ParticipantRef Participant,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ConfirmationDecision>))] ConfirmationDecision Decision, string? Comment, DateTimeOffset At, long Position);

/// <summary>Evidence attached to the asset, by the hash of the document or device reading.</summary>
public sealed record TraceEvidence(long Position, string Sha256, string MediaType, string? Description, string Source, ParticipantRef? By, DateTimeOffset At);

/// <summary>What the regulator's search filters on; every field set narrows the result, null fields do not filter.</summary>
public sealed record TraceSearch
{
    public AssetKind? Kind { get; init; }
    public AssetStatus? Status { get; init; }
    public AssetLock? Lock { get; init; }
    public string? OwnerId { get; init; }
    /// <summary>Assets out at this venue now (a trading center or a bank).</summary>
    public string? VenueId { get; init; }
    public string? WarehouseId { get; init; }
    public string? DebtorId { get; init; }
    public string? Commodity { get; init; }
    /// <summary>Free text (at least 3 characters) found in the title, receipt number or bill number, ignoring case.</summary>
    public string? Text { get; init; }
    /// <summary>Inclusive lower and exclusive upper bounds.</summary>
    public DateTimeOffset? RegisteredFrom { get; init; }
    public DateTimeOffset? RegisteredTo { get; init; }
    public DateTimeOffset? ChangedFrom { get; init; }
    public DateTimeOffset? ChangedTo { get; init; }
}

/// <summary>An asset in a search result.</summary>
public sealed record TraceHit
{
    public required string Id { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<AssetKind>))] public AssetKind Kind { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<AssetStatus>))] public AssetStatus Status { get; init; }
    public required string NaturalKey { get; init; }
    public required string OwnerId { get; init; }
    public string? OwnerName { get; init; }
    public string? WarehouseId { get; init; }
    public string? ReceiptNumber { get; init; }
    public string? Commodity { get; init; }
    public string? Quantity { get; init; }
    public string? QuantityUnit { get; init; }
    public string? DebtorId { get; init; }
    public string? BillNumber { get; init; }
    public string? Amount { get; init; }
    public string? Currency { get; init; }
    public string? Title { get; init; }
    public bool Frozen { get; init; }
    public bool Out { get; init; }
    public string? VenueId { get; init; }
    public string? VenuePurpose { get; init; }
    public bool Offered { get; init; }
    public long Version { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset LastChangedAt { get; init; }
    public long LastPosition { get; init; }
}

/// <param name="NextCursor">Pass back for the next page; null on the last page.</param>
public sealed record TracePage(IReadOnlyList<TraceHit> Items, string? NextCursor, long ProjectedThrough);

/// <summary>How a participant stands to an asset.</summary>
public enum HoldingRelation { Owned, HeldAsVenue, Confirmed, Frozen }

/// <summary>A participant's holdings at one time (now, or asOf), each relation newest first.</summary>
/// <param name="AsOf">The time asked about; null for now.</param>
public sealed record Holdings(
    ParticipantRef Participant, DateTimeOffset? AsOf, long ProjectedThrough,
    HoldingList? Owned, HoldingList? HeldAsVenue, HoldingList? Confirmed, HoldingList? Frozen);

/// <param name="NextCursor">Pass back with <c>relation</c> for the next page of this list.</param>
public sealed record HoldingList(IReadOnlyList<Holding> Items, string? NextCursor);

/// <param name="Since">When the relation began: ownership, custody or freeze placed, confirmation given.</param>
/// <param name="Until">When it ended, if it ended by the time asked about.</param>
/// <param name="State">The asset as it stood at the time asked about, replayed from its events up to then.</param>
public sealed record Holding(
    string AssetId, [property: JsonConverter(typeof(JsonStringEnumConverter<AssetKind>))] AssetKind Kind, string NaturalKey,
    string? Commodity, string? Title, DateTimeOffset Since, long SincePosition, DateTimeOffset? Until, string? Detail, HoldingState State);

public sealed record HoldingState(
    [property: JsonConverter(typeof(JsonStringEnumConverter<AssetStatus>))] AssetStatus Status, string OwnerId, long Version,
    bool Frozen, bool Out, string? VenueId, bool Offered);
