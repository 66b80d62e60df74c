using System.Collections.Immutable;
using AssetLedger.Application.Assets;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Projections.Assets;

/// <summary>
/// Keeps an asset row's visible_to and visible_to_roles equal to <see cref="AssetAccess.Audience"/> of the asset, so
/// that the list asks the database one indexed question instead of restating the rule in SQL.
/// </summary>
/// <remarks>
/// A batch has rows, not the asset's stream, so the rule is applied to the state the row describes. The row holds
/// everything the rule reads: status, owner, the offer's assignee, the venue, the named parties, the confirmers the
/// asset needs and who confirmed in the current round. What it lacks (when an offer or custody began, the freezes) the
/// rule does not read; the projection tests compare the stored audience with the rule applied to the real fold.
/// </remarks>
static class AssetVisibility
{
    public static void Update(AssetRow a)
    {
        var audience = AssetAccess.Audience(StateOf(a));
        a.VisibleTo = [.. audience.Participants];
        a.VisibleToRoles = audience.RoleNames;
    }

    static AssetState StateOf(AssetRow a) => new()
    {
        Id = new AssetId(a.AssetId),
        Version = a.Version,
        Status = Enum.Parse<AssetStatus>(a.Status),
        Kind = Enum.Parse<AssetKind>(a.Kind),
        Owner = new ParticipantId(a.OwnerId),
        Key = a.NaturalKey,
        Details = new AssetDetails
        {
            Warehouse = a.WarehouseId is { } w ? new ParticipantId(w) : null, ReceiptNumber = a.ReceiptNumber, Commodity = a.Commodity,
            Debtor = a.DebtorId is { } d ? new ParticipantId(d) : null, BillNumber = a.BillNumber, DueDate = a.DueDate,
            Title = a.Title, ContentSha256 = a.ContentSha256, MediaType = a.MediaType, Description = a.Description,
        },
        RequiredConfirmers = [.. a.RequiredConfirmers.Select(c => new ConfirmerRequirement(c.Slot, c.Role, c.Named is { } n ? new ParticipantId(n) : null))],
        Confirmations = a.ConfirmedBy.ToImmutableSortedDictionary(kv => kv.Key, kv => new ParticipantId(kv.Value), StringComparer.Ordinal),
        PendingOffer = a.OfferedTo is { } to ? new TransferOffer(new ParticipantId(to), default) : null,
        Custody = a.VenueId is { } venue ? new Custody(new ParticipantId(venue), Enum.Parse<VenuePurpose>(a.VenuePurpose!), default) : null,
        EvidenceCount = a.EvidenceCount,
    };
}
