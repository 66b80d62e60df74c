using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Assets;

/// <summary>Every way an asset command can be refused, each with a stable code.</summary>
public static class AssetErrors
{
    public static DomainError Invalid(string field, string message) => new("asset.invalid", message, ErrorKind.Invalid, field);
    public static DomainError NotFound(AssetId id) => new("asset.not_found", $"Asset {id} does not exist.", ErrorKind.NotFound);
    public static DomainError AlreadyExists(AssetId id) => new("asset.already_exists", $"Asset {id} is already registered; use a new id.", ErrorKind.Conflict);
    public static DomainError KeyTaken(string key) => new("asset.key_taken", $"An asset with the key '{key}' is already registered; a key can be registered once and stays reserved after cancellation.", ErrorKind.Conflict);
    public static DomainError NotOwner(ParticipantId actor, string action) => new("asset.not_owner", $"Only the asset's owner may {action}; {actor} is not the owner.", ErrorKind.Forbidden);
    public static DomainError NotPermitted(ParticipantId actor, string why) => new("asset.not_permitted", $"{actor} may not do this: {why}", ErrorKind.Forbidden);
    public static DomainError NotConfirmer(ParticipantId actor) => new("asset.not_confirmer", $"{actor} holds none of the confirmations this asset still needs.", ErrorKind.Forbidden);
    /// <summary>Forbidden, not Conflict: who the actor is to this asset refuses it, and no later state lifts that.</summary>
    public static DomainError ConfirmerNotIndependent(ParticipantId actor, bool isOwner) => new("asset.confirmer_not_independent",
        isOwner
            ? $"{actor} owns this asset; confirmation (确权) is by independent institutions, and an owner never confirms its own asset, whatever roles it holds."
            : $"{actor} registered this asset; confirmation (确权) is by independent institutions, so the registrant fills no slot open to a role, whatever roles it holds.",
        ErrorKind.Forbidden);
    public static DomainError AlreadyConfirmed(ParticipantId actor) => new("asset.already_confirmed", $"{actor} has already confirmed this asset; one party fills one confirmation.", ErrorKind.Conflict);
    public static DomainError WrongStatus(AssetStatus status, string action, string needed) => new("asset.wrong_status", $"Cannot {action}: the asset is {status}, it must be {needed}.", ErrorKind.Conflict);
    public static DomainError Closed(AssetStatus status) => new("asset.closed", $"The asset is {status} and accepts no further command.", ErrorKind.Conflict);

    public static DomainError Locked(AssetState s, string action)
    {
        var locks = new List<string>();
        if (s.PendingOffer is { } o) locks.Add($"a transfer offer to {o.To} is pending");
        if (s.Custody is { } c) locks.Add($"it is out at {c.Venue} for {c.Purpose.ToString().ToLowerInvariant()}");
        if (s.IsFrozen) locks.Add($"it is frozen ({string.Join(", ", s.Freezes.Values.Select(f => $"{f.FreezeId} by {f.By}"))})");
        return new("asset.locked", $"Cannot {action}: {string.Join("; ", locks)}.", ErrorKind.Conflict);
    }

    public static DomainError NoPendingOffer() => new("asset.no_pending_offer", "There is no pending transfer offer.", ErrorKind.Conflict);
    public static DomainError NotAssignee(ParticipantId actor, ParticipantId to) => new("asset.not_assignee", $"The pending offer is to {to}; {actor} cannot answer it.", ErrorKind.Forbidden);
    public static DomainError SelfTransfer() => new("asset.self_transfer", "An owner cannot transfer an asset to itself.", ErrorKind.Invalid, "to");
    public static DomainError VenueNotEligible(ParticipantId venue, VenuePurpose purpose) => new("asset.venue_not_eligible",
        purpose == VenuePurpose.Trade
            ? $"{venue} is not a trading center; assets go out for trade only to a TradingCenter."
            : $"{venue} is not a financial institution; assets go out for financing only to a FinancialInstitution.", ErrorKind.Invalid, "venueId");
    public static DomainError NotOut() => new("asset.not_out", "The asset is not out at a venue, so there is nothing to return.", ErrorKind.Conflict);
    public static DomainError NotVenue(ParticipantId actor, ParticipantId venue) => new("asset.not_venue", $"Only the venue holding the asset ({venue}) may return it; {actor} is not that venue.", ErrorKind.Forbidden);
    public static DomainError Frozen(AssetState s) => new("asset.frozen", $"The asset is frozen ({string.Join(", ", s.Freezes.Keys)}); it cannot be returned until every freeze is lifted.", ErrorKind.Conflict);
    public static DomainError FreezeExists(string id) => new("asset.freeze_exists", $"A freeze with id '{id}' is already in place; use a new id.", ErrorKind.Conflict);
    public static DomainError FreezeNotFound(string id) => new("asset.freeze_not_found", $"No freeze with id '{id}' is in place on this asset.", ErrorKind.Conflict);
    public static DomainError NotSplittable() => new("asset.not_splittable", "Only a warehouse receipt is split into parts; receivables and intangibles are not divisible here.", ErrorKind.Invalid);
    public static DomainError SplitNotExact(Quantity whole, string sum) => new("asset.split_not_exact",
        $"The parts add up to {sum} {whole.Unit}; a split divides the receipt's {whole.Value} {whole.Unit} exactly, no more and no less.", ErrorKind.Invalid, "parts");
    public static DomainError NotReceipt() => new("asset.not_a_receipt", "Only a warehouse receipt's goods are released against delivery orders.", ErrorKind.Invalid);
    public static DomainError ReleasePending(ReleaseRequest r, string action) => new("asset.release_pending",
        $"Cannot {action}: the release of {r.Quantity.Value} {r.Quantity.Unit} against delivery order '{r.DeliveryOrder}' awaits the venue's answer.", ErrorKind.Conflict);
    public static DomainError NoPendingRelease() => new("asset.no_pending_release", "There is no release request awaiting an answer.", ErrorKind.Conflict);
    public static DomainError DeliveryOrderUsed(string order) => new("asset.delivery_order_used",
        $"Goods were already released against delivery order '{order}'; each delivery order releases goods once.", ErrorKind.Conflict, "deliveryOrder");
    public static DomainError ReleaseExceeds(Quantity held, string asked) => new("asset.release_exceeds_quantity",
        $"Cannot release {asked} {held.Unit}: the receipt holds {held.Value} {held.Unit}.", ErrorKind.Conflict, "quantity");
    public static DomainError NotYetExpired(DateTimeOffset deadline) => new("asset.not_yet_expired",
        $"The asset's confirmations are due by {deadline:O}; it cannot expire before then.", ErrorKind.Conflict);
    public static DomainError NoChange() => new("asset.no_change", "The amendment changes nothing; send at least one field with a new value.", ErrorKind.Invalid);
    public static DomainError KeyImmutable(string field) => new("asset.key_immutable", $"'{field}' is part of the asset's registered key and cannot be amended; cancel and register anew.", ErrorKind.Invalid, field);
    public static DomainError AlarmOpen(OpenAlarm a) => new("asset.alarm_open",
        $"Alarm {a.AlarmId} of rule {a.RuleId} from device {a.Device} is still open on this asset; one open alarm per rule and device.", ErrorKind.Conflict);
    public static DomainError AlarmNotFound(string id) => new("asset.alarm_not_found", $"No open IoT alarm with id '{id}' is on this asset.", ErrorKind.NotFound, "alarmId");
    public static DomainError ClearanceGiven(ParticipantId actor, OpenAlarm a) => new("asset.clearance_given",
        $"{actor} has already agreed to clear alarm {a.AlarmId}; it waits for the other party.", ErrorKind.Conflict);
    public static DomainError IotFreeze(string id) => new("asset.iot_freeze",
        $"'{id}' is an IoT alarm's freeze: it is lifted by clearing the alarm (POST /api/v1/assets/{{id}}/alarms/{id}/clearances), not by unfreezing.", ErrorKind.Conflict, "freezeId");
}
