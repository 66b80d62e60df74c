using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;

namespace AssetLedger.Api.Contracts;

/// <summary>What a write answers: the asset's new version (its ETag) and the events it appended.</summary>
public sealed record CommandResult(string AssetId, long Version, string Status, IReadOnlyList<AppendedEventView> Events);

/// <summary>A split's answer: the split receipt's new version and the parts it became, each a new asset at its location.</summary>
public sealed record SplitResult(string AssetId, long Version, string Status, IReadOnlyList<SplitPartView> Parts, IReadOnlyList<AppendedEventView> Events);
public sealed record SplitPartView(string AssetId, string Location);

/// <summary>An appended event: its id, stream version, global log position and SHA-256 hash (hex).</summary>
public sealed record AppendedEventView(Guid EventId, long Version, long Position, string Hash)
{
    public static AppendedEventView From(AppendedEvent e) => new(e.EventId, e.Version, e.Position, e.Hash);
}

public sealed record QuantityView(string Value, string Unit);
public sealed record MoneyView(string Value, string Currency);
public sealed record ConfirmationView(string Slot, string RequiredRole, string? NamedParticipant, string? ConfirmedBy);
public sealed record OfferView(string ToId, DateTimeOffset Since);
public sealed record ReleaseRequestView(string DeliveryOrder, string Quantity, string Unit, string RequestedBy, DateTimeOffset Since);

public sealed record CustodyView(string VenueId, string Purpose, DateTimeOffset Since);
public sealed record FreezeView(string FreezeId, string By, string Authority, string Reason, DateTimeOffset Since);

/// <summary>An asset's current state, read from its own event stream (always up to date).</summary>
public sealed record AssetResource(
    string AssetId, string Kind, string Status, long Version, string OwnerId, string Key,
    string? WarehouseId, string? ReceiptNumber, string? Commodity, QuantityView? Quantity,
    string? DebtorId, string? BillNumber, MoneyView? Amount, string? DueDate,
    string? Title, string? ContentSha256, string? MediaType, string? Description,
    IReadOnlyList<ConfirmationView> Confirmations, bool Locked, OfferView? PendingOffer, CustodyView? Custody,
    IReadOnlyList<FreezeView> Freezes, int EvidenceCount, DateTimeOffset? LastChangedAt, ReleaseRequestView? PendingRelease = null,
    string? ParentId = null, IReadOnlyList<string>? SplitInto = null)
{
    public static AssetResource From(AssetState s)
    {
        var d = s.Details;
        return new AssetResource(
            s.Id.ToString(), s.Kind.ToString(), s.Status.ToString(), s.Version, s.Owner.Value, s.Key,
            d.Warehouse?.Value, d.ReceiptNumber, d.Commodity, d.Quantity is { } q ? new QuantityView(q.Value, q.Unit) : null,
            d.Debtor?.Value, d.BillNumber, d.Amount is { } m ? new MoneyView(m.Value, m.Currency) : null, d.DueDate?.ToString("yyyy-MM-dd"),
            d.Title, d.ContentSha256, d.MediaType, d.Description,
            s.RequiredConfirmers.Select(r => new ConfirmationView(r.Slot, r.Role.ToString(), r.Named?.Value,
                s.Confirmations.TryGetValue(r.Slot, out var by) ? by.Value : null)).ToList(),
            s.IsLocked, s.PendingOffer is { } o ? new OfferView(o.To.Value, o.Since) : null,
            s.Custody is { } c ? new CustodyView(c.Venue.Value, c.Purpose.ToString(), c.Since) : null,
            s.Freezes.Values.Select(f => new FreezeView(f.FreezeId, f.By.Value, f.Authority.ToString(), f.Reason, f.Since)).ToList(),
            s.EvidenceCount, s.LastChangedAt,
            s.PendingRelease is { } r ? new ReleaseRequestView(r.DeliveryOrder, r.Quantity.Value, r.Quantity.Unit, r.By.Value, r.Since) : null,
            s.Parent?.ToString(), s.SplitInto.IsEmpty ? null : [.. s.SplitInto.Select(p => p.ToString())]);
    }
}

/// <summary>One event of an asset's history, with who caused it and its hash (the asset is a hash chain).</summary>
public sealed record HistoryEntryView(long Version, long Position, Guid EventId, string Type, string? Actor, DateTimeOffset RecordedAt,
    string Hash, string? PreviousHash, System.Text.Json.JsonElement Data);

public sealed record ParticipantView(string Id, string Name, string Status, bool Suspended, IReadOnlyList<string> Roles, IReadOnlyList<string> RequestedRoles,
    string? CreditCode, string? SigningKeyId, long Version)
{
    public static ParticipantView From(AssetLedger.Domain.Participants.ParticipantState s) => new(s.Id.Value, s.Name, s.Status.ToString(), s.Suspended,
        s.Roles.Select(r => r.ToString()).ToList(), s.RequestedRoles.Select(r => r.ToString()).ToList(), s.CreditCode, s.SigningKeyId, s.Version);
}

public sealed record UserView(string Login, string ParticipantId, string DisplayName, bool Disabled, long Version)
{
    public static UserView From(AssetLedger.Domain.Users.UserState s) => new(s.Login, s.Participant.Value, s.DisplayName, s.Disabled, s.Version);
}
