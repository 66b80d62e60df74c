using System.Collections.Immutable;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices.Alarms;

namespace AssetLedger.Domain.Assets;

/// <summary>
/// A device's alarm rule fired for this asset (by the registry itself). A critical alarm also freezes the asset, under its
/// own id and authority IotAlarm, independent of any judicial freeze; a warning only records. <paramref name="Counters"/>
/// are the device's readings that raised it (in the device's stream, each in the log).
/// </summary>
[StoredEvent("asset-iot-alarm-raised")]
public sealed record IotAlarmRaised(AssetId Asset, string AlarmId, string RuleId, int RuleVersion, AlarmCondition Condition, AlarmSeverity Severity,
    string Device, IReadOnlyList<long> Counters, string Detail, ParticipantId By, DateTimeOffset At) : IAssetEvent
{
    public bool Equals(IotAlarmRaised? other) => other is not null && EqualityContract == other.EqualityContract &&
        (Asset, AlarmId, RuleId, RuleVersion, Condition, Severity, Device, Detail, By, At) ==
        (other.Asset, other.AlarmId, other.RuleId, other.RuleVersion, other.Condition, other.Severity, other.Device, other.Detail, other.By, other.At) &&
        Counters.SequenceEqual(other.Counters);

    public override int GetHashCode() => HashCode.Combine(Asset, AlarmId, RuleId, Device, At);
}

/// <summary>One of the parties an alarm's clearing needs has read the readings and agrees, with a remark; the others are awaited.</summary>
[StoredEvent("asset-iot-alarm-clearance-given")]
public sealed record IotAlarmClearanceGiven(AssetId Asset, string AlarmId, string Remark, ParticipantId By, DateTimeOffset At) : IAssetEvent;

/// <summary>People cleared the alarm (nothing clears itself); a critical alarm's freeze is lifted with it.</summary>
[StoredEvent("asset-iot-alarm-cleared")]
public sealed record IotAlarmCleared(AssetId Asset, string AlarmId, bool Unfroze, string Remark, IReadOnlyList<ParticipantId> ClearedBy, ParticipantId By, DateTimeOffset At) : IAssetEvent
{
    public bool Equals(IotAlarmCleared? other) => other is not null && EqualityContract == other.EqualityContract &&
        (Asset, AlarmId, Unfroze, Remark, By, At) == (other.Asset, other.AlarmId, other.Unfroze, other.Remark, other.By, other.At) && ClearedBy.SequenceEqual(other.ClearedBy);

    public override int GetHashCode() => HashCode.Combine(Asset, AlarmId, By, At);
}

/// <summary>The registry's alarm rules found something (Role.System only: people report through readings, not alarms).</summary>
public sealed record RaiseIotAlarm(AssetId Asset, string AlarmId, string RuleId, int RuleVersion, AlarmCondition Condition, AlarmSeverity Severity,
    string Device, IReadOnlyList<long> Counters, string Detail, Actor Actor, DateTimeOffset At) : IAssetCommand;

/// <summary>Clear an open alarm with a remark, after reading the readings that raised it.</summary>
public sealed record ClearIotAlarm(AssetId Asset, string AlarmId, string Remark, Actor Actor, DateTimeOffset At) : IAssetCommand;

/// <summary>An alarm not cleared yet, and who has agreed to clear it so far.</summary>
public sealed record OpenAlarm(string AlarmId, string RuleId, int RuleVersion, AlarmCondition Condition, AlarmSeverity Severity, string Device, DateTimeOffset Since,
    ImmutableSortedSet<string> Clearances)
{
    public bool Equals(OpenAlarm? other) => other is not null &&
        (AlarmId, RuleId, RuleVersion, Condition, Severity, Device, Since) == (other.AlarmId, other.RuleId, other.RuleVersion, other.Condition, other.Severity, other.Device, other.Since) &&
        Clearances.SequenceEqual(other.Clearances);

    public override int GetHashCode() => HashCode.Combine(AlarmId, Clearances.Count);
}
