using System.Text.Json;
using AssetLedger.Domain.Common;

namespace AssetLedger.Projections.Assets;

// Rows of the asset read models as the projection writes them. Property names are the columns' in
// PascalCase (RowJson maps them to snake_case); a column added to 0002_read_models.sql needs its property here.

/// <summary>A row of <c>assets</c>: mutable, because the projection folds a batch of events into it before writing it once.</summary>
sealed class AssetRow
{
    public Guid AssetId { get; set; }
    public string Kind { get; set; } = "";
    public string Status { get; set; } = "";
    /// <summary>When the asset last became Pending; null while it is not Pending.</summary>
    public DateTimeOffset? PendingSince { get; set; }
    public string OwnerId { get; set; } = "";
    public string NaturalKey { get; set; } = "";
    public string? WarehouseId { get; set; }
    public string? ReceiptNumber { get; set; }
    public string? Commodity { get; set; }
    public string? Quantity { get; set; }
    public string? QuantityUnit { get; set; }
    public string? DebtorId { get; set; }
    public string? BillNumber { get; set; }
    public string? Amount { get; set; }
    public string? Currency { get; set; }
    public DateOnly? DueDate { get; set; }
    public string? Title { get; set; }
    public string? ContentSha256 { get; set; }
    public string? MediaType { get; set; }
    public string? Description { get; set; }
    public bool Frozen { get; set; }
    public int FreezeCount { get; set; }
    public bool Out { get; set; }
    public string? VenueId { get; set; }
    public string? VenuePurpose { get; set; }
    public bool Offered { get; set; }
    public string? OfferedTo { get; set; }
    public int ConfirmationsRequired { get; set; }
    public int ConfirmationsGiven { get; set; }
    public int ConfirmationRound { get; set; }
    public int EvidenceCount { get; set; }
    public long Version { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public long RegisteredPosition { get; set; }
    public DateTimeOffset LastChangedAt { get; set; }
    public long LastPosition { get; set; }
    /// <summary>The receipt this one was split from, and the parts a Split receipt became.</summary>
    public Guid? ParentId { get; set; }
    public Guid[]? SplitInto { get; set; }
    /// <summary>The confirmations the asset needs (from its registration) and, slot → participant, who gave them in the current round.</summary>
    public List<ConfirmerRow> RequiredConfirmers { get; set; } = [];
    public Dictionary<string, string> ConfirmedBy { get; set; } = [];
    /// <summary>The asset's <see cref="Application.Assets.AssetAudience"/>, kept by <see cref="AssetVisibility"/>.</summary>
    public string[] VisibleTo { get; set; } = [];
    public string[] VisibleToRoles { get; set; } = [];
}

sealed record ConfirmerRow(string Slot, Role Role, string? Named);

sealed record HistoryRow(
    long Position, Guid AssetId, long Version, Guid EventId, string EventType, string? ActorId,
    DateTimeOffset At, DateTimeOffset RecordedAt, string Hash, string? PreviousHash, JsonElement Data);

sealed class OwnershipRow
{
    public Guid AssetId { get; init; }
    public string OwnerId { get; init; } = "";
    public DateTimeOffset FromAt { get; init; }
    public long FromPosition { get; init; }
    public DateTimeOffset? ToAt { get; set; }
    public long? ToPosition { get; set; }
}

sealed record ConfirmationRow(Guid AssetId, int Round, string Slot, string ParticipantId, string Decision, string? Comment, DateTimeOffset At, long Position);

sealed class EncumbranceRow
{
    public long PlacedPosition { get; init; }
    public Guid AssetId { get; init; }
    public string Kind { get; init; } = "";
    public string? FreezeId { get; init; }
    public string PlacedBy { get; init; } = "";
    public string? CounterpartyId { get; init; }
    public string? Authority { get; init; }
    public string? Purpose { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset PlacedAt { get; init; }
    public DateTimeOffset? LiftedAt { get; set; }
    public string? LiftedBy { get; set; }
    public long? LiftedPosition { get; set; }
    public string? LiftedHow { get; set; }
    public string? LiftReason { get; set; }
}
