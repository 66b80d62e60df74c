using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Devices.Alarms;
using AssetLedger.Domain.Common;

namespace AssetLedger.Projections.Trace;

/// <summary>
/// Says in one sentence what an event did, and in which capacity its actor acted, so a regulator reads the
/// timeline without knowing the event schema. <paramref name="name"/> turns an id into "Name (id)".
/// </summary>
static class EventNarrative
{
    public static (string Summary, string ActingAs) Describe(IAssetEvent e, AssetState before, Func<ParticipantId, string> name) => e switch
    {
        AssetRegistered r => ($"Registered as {r.Kind} {r.Key} for {name(r.Owner)}{What(r.Details)}",
            r.By == r.Owner ? "Owner" : "Warehouse"),
        AssetConfirmed c => ($"Confirmed ({c.Slot}) by {name(c.By)}{Comment(c.Comment)}", SlotRole(before, c.Slot)),
        AssetRejected j => ($"Rejected ({j.Slot}) by {name(j.By)}{Comment(j.Comment)}", SlotRole(before, j.Slot)),
        AssetAmended a => ($"Amended{(a.Material ? " (material change: back to Pending for new confirmations)" : "")}{What(a.Details)}", "Owner"),
        AssetTransferOffered o => ($"Offered for transfer by {name(o.From)} to {name(o.To)}", "Owner"),
        AssetTransferred t => ($"Transferred from {name(t.From)} to {name(t.To)}", "Assignee"),
        AssetTransferDeclined d => ($"Transfer offer declined by {name(d.By)}", "Assignee"),
        AssetTransferWithdrawn w => ($"Transfer offer withdrawn by {name(w.By)}", "Owner"),
        AssetTransferredOut o => ($"Transferred out to {name(o.Venue)} for {o.Purpose}{(o.Purpose == VenuePurpose.Financing ? " (pledge)" : "")}", "Owner"),
        AssetReturned r => (r.Owner == r.PreviousOwner
            ? $"Returned by {name(r.Venue)} to {name(r.Owner)}"
            : $"Returned by {name(r.Venue)} to a new owner, {name(r.Owner)} (was {name(r.PreviousOwner)})", "Venue"),
        AssetFrozen f => ($"Frozen ({f.Authority}, {f.FreezeId}) by {name(f.By)}: {f.Reason}", f.Authority == FreezeAuthority.IotAlarm ? "System" : "Regulator"),
        AssetUnfrozen u => ($"Freeze {u.FreezeId} lifted by {name(u.By)}{Comment(u.Reason)}", "Regulator"),
        AssetCancelled c => ($"Cancelled by {name(c.By)}: {c.Reason}", before.Kind == AssetKind.WarehouseReceipt ? "Warehouse" : "Owner"),
        EvidenceAttached x => ($"Evidence attached by {name(x.By)}: {x.MediaType} sha256 {x.Sha256[..16]}…{Comment(x.Description)}",
            x.By == before.Owner ? "Owner" : x.Source == "api" ? "Confirmer" : "Device"),
        AssetReleaseRequested r => ($"Release of {r.Quantity.Value} {r.Quantity.Unit} against delivery order {r.DeliveryOrder} requested by {name(r.By)}, for the venue's consent", "Warehouse"),
        AssetReleaseDeclined d => ($"Release against delivery order {d.DeliveryOrder} refused by {name(d.By)}{Comment(d.Comment)}", "Venue"),
        AssetGoodsReleased g => ($"{g.Released.Value} {g.Released.Unit} released against delivery order {g.DeliveryOrder} by {name(g.By)}"
            + (g.ConsentedBy is { } v && v != g.By ? $" with the consent of {name(v)}" : "")
            + (Decimals.IsZero(g.Remaining.Value) ? "; nothing remains and the receipt ends" : $"; {g.Remaining.Value} {g.Remaining.Unit} remain"),
            g.By == before.Details.Warehouse ? "Warehouse" : "Venue"),
        AssetExpired x => ($"Expired: the confirmations {string.Join(", ", x.MissingSlots)} were not in by {x.Deadline:yyyy-MM-dd HH:mm} UTC", "System"),
        AssetSplit x => ($"Split by {name(x.By)} into {x.Parts.Count} receipts: {string.Join(", ", x.Parts.Select(p => $"{p.ReceiptNumber} ({p.Quantity.Value} {p.Quantity.Unit}, asset {p.Asset})"))}; this receipt is closed",
            x.By == before.Owner ? "Owner" : "Venue"),
        AssetSplitOff o => ($"Split off from asset {o.Parent} (its event {o.ParentVersion}) by {name(o.By)}: {o.Key} for {name(o.Owner)}{What(o.Details)}"
            + (o.Custody is { } c ? $", out at {name(c.Venue)} for {c.Purpose}" : ""), o.Custody is null ? "Owner" : "Venue"),
        IotAlarmRaised x => ($"IoT alarm {x.AlarmId} ({x.Severity}{(x.Severity == AlarmSeverity.Critical ? ": frozen" : "")}) from device {x.Device}, rule {x.RuleId} v{x.RuleVersion}: {x.Detail}", "System"),
        IotAlarmClearanceGiven g => ($"{name(g.By)} agreed to clear IoT alarm {g.AlarmId}{Comment(g.Remark)}; the other party's agreement is awaited", ClearerRole(before, g.By)),
        IotAlarmCleared c => ($"IoT alarm {c.AlarmId} cleared by {string.Join(" and ", c.ClearedBy.Select(name))}{(c.Unfroze ? ", its freeze lifted" : "")}{Comment(c.Remark)}", ClearerRole(before, c.By)),
        _ => (e.GetType().Name, "Participant"),
    };

    static string ClearerRole(AssetState before, ParticipantId by) =>
        by == before.Details.Warehouse ? "Warehouse" : by == before.Custody?.Venue ? "Venue" : by == before.Owner ? "Owner" : "Regulator";

    static string What(AssetDetails d) =>
        d.Quantity is { } q ? $": {q.Value} {q.Unit} of {d.Commodity} at {d.Warehouse}"
        : d.Amount is { } m ? $": {m.Value} {m.Currency} owed by {d.Debtor}, due {d.DueDate:yyyy-MM-dd}"
        : d.Title is { } t ? $": {t}" : "";

    static string Comment(string? text) => string.IsNullOrWhiteSpace(text) ? "" : $" — {text}";

    static string SlotRole(AssetState s, string slot) =>
        s.RequiredConfirmers.FirstOrDefault(r => r.Slot == slot)?.Role.ToString() ?? "Confirmer";
}
