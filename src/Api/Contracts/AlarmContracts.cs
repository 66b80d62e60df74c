using System.ComponentModel.DataAnnotations;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Devices;
using AssetLedger.Domain.Devices.Alarms;

namespace AssetLedger.Api.Contracts;

/// <summary>
/// A rule's parameters (each condition takes only its own; see docs/devices.md): deviationPercent with readings and/or
/// minutes for QuantityDeviation; minutes for Silence (and as the release window of GateOutWithoutOrder, default 60);
/// minTemperature/maxTemperature with readings for TemperatureRange; nothing for Integrity. Kinds left out match any.
/// </summary>
public sealed record AlarmRuleRequest(
    [property: OneOf(typeof(AlarmCondition))] string? Condition, [property: OneOf(typeof(AlarmSeverity))] string? Severity,
    [property: OneOf(typeof(AssetKind))] string? AssetKind, [property: OneOf(typeof(DeviceKind))] string? DeviceKind,
    [property: MaxLength(32)] string? DeviationPercent, [property: Range(1, AlarmLimits.Readings)] int? Readings,
    [property: Range(1, AlarmLimits.Minutes)] int? Minutes, [property: MaxLength(32)] string? MinTemperature, [property: MaxLength(32)] string? MaxTemperature);

public sealed record AlarmRuleView(string Id, int Version, string Condition, string Severity, string? AssetKind, string? DeviceKind, string? DeviationPercent,
    int? Readings, int? Minutes, string? MinTemperature, string? MaxTemperature, bool Retired)
{
    public static AlarmRuleView Of(AlarmRule r, bool retired) => new(r.Id, r.Version, r.Condition.ToString(), r.Severity.ToString(), r.AssetKind?.ToString(),
        r.DeviceKind?.ToString(), r.DeviationPercent, r.Readings, r.Minutes, r.MinTemperature, r.MaxTemperature, retired);
}

public sealed record AlarmRuleBookView(IReadOnlyList<AlarmRuleView> Rules, long Version);

public sealed record RetireAlarmRuleRequest([property: MaxLength(DeviceLimits.Reason)] string? Reason);

/// <summary>Why the alarm may be cleared: what the readings showed and what was checked.</summary>
public sealed record ClearAlarmRequest([property: MaxLength(AssetLimits.LongText)] string? Remark);

/// <param name="ClearingParties">Who clears it together (besides a regulator alone); empty when only a regulator may.</param>
public sealed record OpenAlarmView(string AlarmId, string RuleId, int RuleVersion, string Condition, string Severity, string Device, DateTimeOffset Since,
    bool Freezes, IReadOnlyList<string> AgreedBy, IReadOnlyList<string> ClearingParties);

public sealed record AssetAlarmsView(string AssetId, IReadOnlyList<OpenAlarmView> Open, long Version);

public sealed record RaisedAlarmView(string AssetId, string AlarmId, string RuleId, string Severity, long Position);
