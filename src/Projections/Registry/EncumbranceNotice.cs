using System.Text.Json.Serialization;
using AssetLedger.Application.Assets;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Projections.Assets;
using AssetLedger.Projections.Trace;

namespace AssetLedger.Projections.Registry;

/// <summary>How much a notice shows: everyone sees whether an asset exists, its status and its open locks.</summary>
public enum Disclosure
{
    /// <summary>No owner identity, no quantity or amount, no freeze reason, no offer assignee.</summary>
    Public,
    /// <summary>Everything: the caller is one of the asset's parties or a regulator (<see cref="AssetAccess.SeesNoticeInFull"/>).</summary>
    Full,
}

/// <summary>
/// A public registry search answer (like 中登网's 查询证明): for one natural key, whether an asset is registered, its status,
/// and every open lock — financing at bank X since T, frozen by Y since T. Owner identity and amounts only with
/// <see cref="Disclosure.Full"/>.
/// </summary>
public sealed record EncumbranceNotice
{
    public required string Key { get; init; }
    public bool Found { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<Disclosure>))] public Disclosure Disclosure { get; init; }
    public DateTimeOffset SearchedAt { get; init; }
    /// <summary>The read models include the log up to this position.</summary>
    public long ProjectedThrough { get; init; }
    /// <summary>The access-audit record of this search (also the X-Access-Audit-Id header): cite it as the search certificate's number.</summary>
    public Guid? SearchReference { get; init; }
    public NoticeAsset? Asset { get; init; }
    public IReadOnlyList<NoticeLock> OpenLocks { get; init; } = [];
}

public sealed record NoticeAsset
{
    /// <summary>Full disclosure only: an asset's id is not revealed to a caller who may not see the asset (README: ids do not leak).</summary>
    public string? Id { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<AssetKind>))] public AssetKind Kind { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<AssetStatus>))] public AssetStatus Status { get; init; }
    public bool Encumbered { get; init; }
    public string? WarehouseId { get; init; }
    public string? ReceiptNumber { get; init; }
    public string? Commodity { get; init; }
    public string? DebtorId { get; init; }
    public string? BillNumber { get; init; }
    public DateOnly? DueDate { get; init; }
    public string? Title { get; init; }
    public string? ContentSha256 { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset LastChangedAt { get; init; }
    public long Version { get; init; }
    /// <summary>Full disclosure only.</summary>
    public ParticipantRef? Owner { get; init; }
    public string? Quantity { get; init; }
    public string? QuantityUnit { get; init; }
    public string? Amount { get; init; }
    public string? Currency { get; init; }
}

/// <summary>An open lock: a pledge or trade custody at a venue, a freeze, or a pending transfer offer.</summary>
public sealed record NoticeLock
{
    [JsonConverter(typeof(JsonStringEnumConverter<EncumbranceKind>))] public EncumbranceKind Kind { get; init; }
    /// <summary>Custody: Financing (a pledge) or Trade.</summary>
    public string? Purpose { get; init; }
    /// <summary>Custody: the venue holding it; Freeze: the authority that froze it.</summary>
    public ParticipantRef? HeldBy { get; init; }
    /// <summary>Freeze: Judicial, Regulatory or IotAlarm.</summary>
    public string? Authority { get; init; }
    public DateTimeOffset Since { get; init; }
    /// <summary>Full disclosure only: the freeze's id and reason, an offer's assignee.</summary>
    public string? FreezeId { get; init; }
    public string? Reason { get; init; }
    public ParticipantRef? OfferedTo { get; init; }

    /// <summary>"Financing at 浦东商业银行 since 2026-03-01T08:00:00Z".</summary>
    public string Statement { get; init; } = "";
}

/// <summary>What the registry knows about one key, before it is cut down to what the caller may see.</summary>
/// <param name="Confirmers">Everyone who confirmed or rejected the asset, in any round.</param>
public sealed record RegistryRecord(AssetView Asset, IReadOnlyList<EncumbranceView> OpenLocks, IReadOnlySet<string> Confirmers, IReadOnlyDictionary<string, ParticipantRef> People);

public static class Disclosures
{
    /// <summary>Full for the asset's parties and regulators, as <see cref="AssetAccess.SeesNoticeInFull"/> decides.</summary>
    public static Disclosure For(Actor caller, RegistryRecord r) =>
        AssetAccess.SeesNoticeInFull(caller, r.Asset.OwnerId, r.Asset.VenueId, r.Asset.WarehouseId, r.Asset.DebtorId, r.Confirmers)
            ? Disclosure.Full : Disclosure.Public;

    public static EncumbranceNotice Notice(string key, Actor caller, RegistryRecord? record, DateTimeOffset searchedAt, long projectedThrough)
    {
        if (record is null) return new EncumbranceNotice { Key = key, Found = false, Disclosure = Disclosure.Public, SearchedAt = searchedAt, ProjectedThrough = projectedThrough };
        var full = For(caller, record) == Disclosure.Full;
        var a = record.Asset;
        ParticipantRef Ref(string id) => record.People.TryGetValue(id, out var p) ? p : new ParticipantRef(id, null, []);
        var locks = record.OpenLocks.Select(l => l.Kind switch
        {
            EncumbranceKind.Custody => new NoticeLock
            {
                Kind = l.Kind, Purpose = l.Purpose?.ToString(), HeldBy = Ref(l.CounterpartyId!), Since = l.PlacedAt,
                Statement = $"{(l.Purpose == VenuePurpose.Financing ? "Pledged for financing" : "Out for trade")} at {Named(Ref(l.CounterpartyId!))} since {l.PlacedAt:yyyy-MM-ddTHH:mm:ssZ}",
            },
            EncumbranceKind.Freeze => new NoticeLock
            {
                Kind = l.Kind, HeldBy = Ref(l.PlacedBy), Authority = l.Authority?.ToString(), Since = l.PlacedAt,
                FreezeId = full ? l.FreezeId : null, Reason = full ? l.Reason : null,
                Statement = $"Frozen ({l.Authority}) by {Named(Ref(l.PlacedBy))} since {l.PlacedAt:yyyy-MM-ddTHH:mm:ssZ}",
            },
            _ => new NoticeLock
            {
                Kind = l.Kind, Since = l.PlacedAt, OfferedTo = full && l.CounterpartyId is { } to ? Ref(to) : null,
                Statement = $"A transfer offer is pending since {l.PlacedAt:yyyy-MM-ddTHH:mm:ssZ}",
            },
        }).ToList();
        return new EncumbranceNotice
        {
            Key = key, Found = true, Disclosure = full ? Disclosure.Full : Disclosure.Public, SearchedAt = searchedAt, ProjectedThrough = projectedThrough,
            OpenLocks = locks,
            Asset = new NoticeAsset
            {
                Id = full ? a.Id : null, Kind = a.Kind, Status = a.Status, Encumbered = locks.Count > 0, WarehouseId = a.WarehouseId, ReceiptNumber = a.ReceiptNumber,
                Commodity = a.Commodity, DebtorId = a.DebtorId, BillNumber = a.BillNumber, DueDate = a.DueDate, Title = a.Title, ContentSha256 = a.ContentSha256,
                RegisteredAt = a.RegisteredAt, LastChangedAt = a.LastChangedAt, Version = a.Version,
                Owner = full ? Ref(a.OwnerId) : null,
                Quantity = full ? a.Quantity : null, QuantityUnit = full ? a.QuantityUnit : null,
                Amount = full ? a.Amount : null, Currency = full ? a.Currency : null,
            },
        };
    }

    static string Named(ParticipantRef p) => p.Name is { } n ? $"{n} ({p.Id})" : p.Id;
}
