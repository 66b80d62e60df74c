using System.Collections.Immutable;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices.Alarms;

namespace AssetLedger.Domain.Assets;

/// <summary>An asset's current state, folded from its events. Immutable: every fold returns a new record.</summary>
public sealed record AssetState
{
    public static readonly AssetState Initial = new();

    public AssetId Id { get; init; }
    public long Version { get; init; }
    public AssetStatus Status { get; init; } = AssetStatus.None;
    public AssetKind Kind { get; init; }
    public ParticipantId Owner { get; init; }
    /// <summary>Who filed the registration (the owner, or the warehouse for a receipt it holds): never an independent confirmer.</summary>
    public ParticipantId Registrant { get; init; }
    public AssetDetails Details { get; init; } = new();
    public string Key { get; init; } = "";
    public ImmutableArray<ConfirmerRequirement> RequiredConfirmers { get; init; } = [];
    /// <summary>Slot → who confirmed it.</summary>
    public ImmutableSortedDictionary<string, ParticipantId> Confirmations { get; init; } = ImmutableSortedDictionary<string, ParticipantId>.Empty;
    public TransferOffer? PendingOffer { get; init; }
    public Custody? Custody { get; init; }
    public ImmutableSortedDictionary<string, Freeze> Freezes { get; init; } = ImmutableSortedDictionary<string, Freeze>.Empty;
    public int EvidenceCount { get; init; }
    /// <summary>When the asset last became Pending (registration or a material amendment): its confirmation window starts here.</summary>
    public DateTimeOffset? PendingSince { get; init; }
    /// <summary>A part delivery awaiting the venue's answer (only while the receipt is out).</summary>
    public ReleaseRequest? PendingRelease { get; init; }
    /// <summary>Delivery orders already released against: each releases goods once.</summary>
    public ImmutableSortedSet<string> DeliveryOrders { get; init; } = ImmutableSortedSet<string>.Empty;
    /// <summary>The receipt this one was split from (null for a registered asset).</summary>
    public AssetId? Parent { get; init; }
    /// <summary>The receipts this one was split into (empty until it is Split).</summary>
    public ImmutableArray<AssetId> SplitInto { get; init; } = [];
    public DateTimeOffset? LastChangedAt { get; init; }
    /// <summary>IoT alarms not cleared yet, by id (a critical one's freeze has the same id).</summary>
    public ImmutableSortedDictionary<string, OpenAlarm> Alarms { get; init; } = ImmutableSortedDictionary<string, OpenAlarm>.Empty;
    /// <summary>When goods last left against a delivery order: a gate-out shortly after it is explained.</summary>
    public DateTimeOffset? LastReleaseAt { get; init; }

    public bool Exists => Status != AssetStatus.None;
    public bool IsFrozen => !Freezes.IsEmpty;
    public bool IsOut => Custody is not null;
    public bool IsLocked => PendingOffer is not null || IsOut || IsFrozen;
    public bool IsClosed => Status is AssetStatus.Cancelled or AssetStatus.Rejected or AssetStatus.Released or AssetStatus.Expired or AssetStatus.Split;

    /// <summary>
    /// Separation of duties (确权): the owner never fills a confirmation slot, whatever roles it holds; the registrant
    /// fills only a slot that names it (the custodian warehouse attesting the goods it filed a receipt for), never a
    /// slot open to a role, which is the independent institution's.
    /// </summary>
    public bool IsIndependentFor(ConfirmerRequirement slot, Actor actor) =>
        actor.Id != Owner && (slot.Named is not null || actor.Id != Registrant);

    // A record compares ImmutableArray and ImmutableSortedDictionary by reference; a replayed state must equal
    // the state it replays, so the collections are compared by their items. Keep in step with the properties.
    public bool Equals(AssetState? other) =>
        other is not null && Id == other.Id && Version == other.Version && Status == other.Status && Kind == other.Kind &&
        Owner == other.Owner && Registrant == other.Registrant && Details == other.Details && Key == other.Key &&
        RequiredConfirmers.SequenceEqual(other.RequiredConfirmers) && Confirmations.SequenceEqual(other.Confirmations) &&
        PendingOffer == other.PendingOffer && Custody == other.Custody && Freezes.SequenceEqual(other.Freezes) &&
        EvidenceCount == other.EvidenceCount && PendingRelease == other.PendingRelease && PendingSince == other.PendingSince && DeliveryOrders.SequenceEqual(other.DeliveryOrders) &&
        Parent == other.Parent && SplitInto.SequenceEqual(other.SplitInto) && LastChangedAt == other.LastChangedAt &&
        Alarms.SequenceEqual(other.Alarms) && LastReleaseAt == other.LastReleaseAt;

    public override int GetHashCode() => HashCode.Combine(Id, Version, Status, Owner, Key, Confirmations.Count, Freezes.Count);

    /// <summary>Folds a stream's events from the start.</summary>
    public static AssetState From(IEnumerable<IAssetEvent> events) => events.Aggregate(Initial, Evolve);

    public static AssetState Evolve(AssetState s, IAssetEvent e) => (e switch
    {
        AssetRegistered r => s with
        {
            Id = r.Asset, Status = AssetStatus.Pending, Kind = r.Kind, Owner = r.Owner, Registrant = r.By, Details = r.Details, Key = r.Key,
            RequiredConfirmers = [.. r.RequiredConfirmers], PendingSince = r.At,
        },
        AssetConfirmed c => WithConfirmation(s, c),
        AssetRejected => s with { Status = AssetStatus.Rejected },
        AssetAmended a => a.Material
            ? s with { Details = a.Details, Status = AssetStatus.Pending, Confirmations = ImmutableSortedDictionary<string, ParticipantId>.Empty, PendingSince = a.At }
            : s with { Details = a.Details },
        AssetTransferOffered o => s with { PendingOffer = new TransferOffer(o.To, o.At) },
        AssetTransferred t => s with { Owner = t.To, PendingOffer = null },
        AssetTransferDeclined or AssetTransferWithdrawn => s with { PendingOffer = null },
        AssetTransferredOut o => s with { Custody = new Custody(o.Venue, o.Purpose, o.At) },
        AssetReturned r => s with { Custody = null, Owner = r.Owner },
        AssetFrozen f => s with { Freezes = s.Freezes.SetItem(f.FreezeId, new Freeze(f.FreezeId, f.By, f.Authority, f.Reason, f.At)) },
        AssetUnfrozen u => s with { Freezes = s.Freezes.Remove(u.FreezeId) },
        AssetCancelled => s with { Status = AssetStatus.Cancelled },
        EvidenceAttached => s with { EvidenceCount = s.EvidenceCount + 1 },
        AssetReleaseRequested r => s with { PendingRelease = new ReleaseRequest(r.DeliveryOrder, r.Quantity, r.By, r.At) },
        AssetReleaseDeclined => s with { PendingRelease = null },
        AssetGoodsReleased g => Released(s, g),
        AssetExpired => s with { Status = AssetStatus.Expired },
        // The custody moves to the parts with the goods: the closed parent keeps no lock of its own.
        AssetSplit x => s with { Status = AssetStatus.Split, Custody = null, SplitInto = [.. x.Parts.Select(p => p.Asset)] },
        AssetSplitOff o => s with
        {
            Id = o.Asset, Status = AssetStatus.Active, Kind = o.Kind, Owner = o.Owner, Registrant = o.Registrant, Details = o.Details, Key = o.Key,
            RequiredConfirmers = [.. o.RequiredConfirmers], Confirmations = o.Confirmations.ToImmutableSortedDictionary(x => x.Slot, x => x.By),
            Custody = o.Custody, Parent = o.Parent,
        },
        IotAlarmRaised a => s with
        {
            Alarms = s.Alarms.SetItem(a.AlarmId, new OpenAlarm(a.AlarmId, a.RuleId, a.RuleVersion, a.Condition, a.Severity, a.Device, a.At, ImmutableSortedSet<string>.Empty)),
            Freezes = a.Severity == AlarmSeverity.Critical
                ? s.Freezes.SetItem(a.AlarmId, new Freeze(a.AlarmId, a.By, FreezeAuthority.IotAlarm, a.Detail, a.At)) : s.Freezes,
        },
        IotAlarmClearanceGiven g => s with { Alarms = s.Alarms.SetItem(g.AlarmId, s.Alarms[g.AlarmId] with { Clearances = s.Alarms[g.AlarmId].Clearances.Add(g.By.Value) }) },
        IotAlarmCleared c => s with { Alarms = s.Alarms.Remove(c.AlarmId), Freezes = c.Unfroze ? s.Freezes.Remove(c.AlarmId) : s.Freezes },
        _ => throw new InvalidOperationException($"No fold for {e.GetType().Name}."),
    }) with { Version = s.Version + 1, LastChangedAt = e.At };

    // A release to zero ends the receipt, and with it the venue's custody (the venue consented or released itself).
    static AssetState Released(AssetState s, AssetGoodsReleased g)
    {
        var after = s with { Details = s.Details with { Quantity = g.Remaining }, PendingRelease = null, DeliveryOrders = s.DeliveryOrders.Add(g.DeliveryOrder), LastReleaseAt = g.At };
        return Decimals.IsZero(g.Remaining.Value) ? after with { Status = AssetStatus.Released, Custody = null } : after;
    }

    static AssetState WithConfirmation(AssetState s, AssetConfirmed c)
    {
        var confirmations = s.Confirmations.SetItem(c.Slot, c.By);
        var complete = s.RequiredConfirmers.All(r => confirmations.ContainsKey(r.Slot));
        return s with { Confirmations = confirmations, Status = complete ? AssetStatus.Active : AssetStatus.Pending };
    }
}
