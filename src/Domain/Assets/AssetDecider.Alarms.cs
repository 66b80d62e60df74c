using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Domain.Devices.Alarms;
using Decision = AssetLedger.Domain.Common.Decision<AssetLedger.Domain.Assets.IAssetEvent>;

namespace AssetLedger.Domain.Assets;

/// <summary>
/// IoT alarms (物联网告警): raised only by the registry's rules; a critical one freezes the asset under its own id, which
/// blocks transfer, pledge, split, release and cancel like any freeze. Nothing clears itself. A regulator clears alone;
/// otherwise the custodian warehouse and the party at risk both agree: the venue while the receipt is out (its
/// security), else the owner. When the warehouse owns the goods and they are not out, only a regulator clears, so no
/// single party ever lifts an alarm about its own goods.
/// </summary>
public static partial class AssetDecider
{
    static Decision Raise(AssetState s, RaiseIotAlarm c)
    {
        if (!c.Actor.Has(Role.System)) return AssetErrors.NotPermitted(c.Actor.Id, "IoT alarms are raised by the registry's alarm rules from signed readings, never by hand.");
        if (string.IsNullOrEmpty(c.AlarmId) || c.AlarmId.Length > AssetLimits.FreezeId) return AssetErrors.Invalid("alarmId", $"An alarm id is 1–{AssetLimits.FreezeId} characters.");
        if (s.Alarms.ContainsKey(c.AlarmId) || s.Freezes.ContainsKey(c.AlarmId)) return AssetErrors.FreezeExists(c.AlarmId);
        // Only an Active asset can move, so only an Active asset is frozen; on a Pending one an alarm is a warning at most.
        if (c.Severity == AlarmSeverity.Critical && s.Status != AssetStatus.Active) return AssetErrors.WrongStatus(s.Status, "place a critical alarm's freeze", "Active");
        if (s.Alarms.Values.FirstOrDefault(a => a.RuleId == c.RuleId && a.Device == c.Device) is { } open) return AssetErrors.AlarmOpen(open);
        if (c.Counters.Count > AlarmLimits.Counters || c.Detail.Length is 0 or > AssetLimits.LongText) return AssetErrors.Invalid("detail", "An alarm names at most 50 readings and says what was found.");
        return Decision.Of(new IotAlarmRaised(c.Asset, c.AlarmId, c.RuleId, c.RuleVersion, c.Condition, c.Severity, c.Device, [.. c.Counters], c.Detail, c.Actor.Id, c.At));
    }

    static Decision Clear(AssetState s, ClearIotAlarm c)
    {
        if (!s.Alarms.TryGetValue(c.AlarmId, out var alarm)) return AssetErrors.AlarmNotFound(c.AlarmId);
        if (string.IsNullOrWhiteSpace(c.Remark) || c.Remark.Length > AssetLimits.LongText)
            return AssetErrors.Invalid("remark", $"A remark (1–{AssetLimits.LongText} characters) saying what the readings showed and why the alarm may be cleared is required.");
        if (c.Actor.Has(Role.Regulator)) return Cleared(s, c, alarm, [c.Actor.Id]);
        var parties = ClearingParties(s);
        if (!parties.Contains(c.Actor.Id)) return AssetErrors.NotPermitted(c.Actor.Id, ClearingRule(s, parties));
        if (alarm.Clearances.Contains(c.Actor.Id.Value)) return AssetErrors.ClearanceGiven(c.Actor.Id, alarm);
        var agreed = alarm.Clearances.Add(c.Actor.Id.Value);
        // A warning freezes nothing: any one of the parties acknowledges it.
        if (alarm.Severity == AlarmSeverity.Warning || parties.All(p => agreed.Contains(p.Value)))
            return Cleared(s, c, alarm, [.. agreed.Select(p => new ParticipantId(p))]);
        return Decision.Of(new IotAlarmClearanceGiven(c.Asset, c.AlarmId, c.Remark, c.Actor.Id, c.At));
    }

    static Decision Cleared(AssetState s, ClearIotAlarm c, OpenAlarm alarm, IReadOnlyList<ParticipantId> by) =>
        Decision.Of(new IotAlarmCleared(c.Asset, c.AlarmId, s.Freezes.ContainsKey(alarm.AlarmId), c.Remark, by, c.Actor.Id, c.At));

    /// <summary>The parties who together clear an alarm (besides a regulator alone); empty when only a regulator may.</summary>
    public static IReadOnlyList<ParticipantId> ClearingParties(AssetState s)
    {
        var atRisk = s.Custody?.Venue ?? s.Owner;
        return s.Details.Warehouse is { } warehouse && warehouse != atRisk ? [warehouse, atRisk] : [];
    }

    static string ClearingRule(AssetState s, IReadOnlyList<ParticipantId> parties) => parties.Count == 0
        ? "the custodian warehouse owns these goods and they are not out at a venue, so only a regulator clears this alarm."
        : $"an IoT alarm is cleared by a regulator, or by the custodian warehouse ({parties[0]}) together with {(s.IsOut ? "the venue holding the receipt" : "the owner")} ({parties[1]}).";
}
