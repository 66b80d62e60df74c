using System.Globalization;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Devices.Alarms;

/// <summary>What an alarm rule watches for.</summary>
public enum AlarmCondition
{
    /// <summary>Measured weight or level differs from the receipt's quantity by more than X % for N readings or T minutes.</summary>
    QuantityDeviation,
    /// <summary>Goods leave through a gate with no release (delivery order) recorded within T minutes before.</summary>
    GateOutWithoutOrder,
    /// <summary>A device sends nothing (not even a heartbeat) for longer than T minutes.</summary>
    Silence,
    /// <summary>A reading refused for its signature, key or counter, or a gap in the counter (readings went missing).</summary>
    Integrity,
    /// <summary>A temperature outside [min, max] °C for N readings (perishable goods).</summary>
    TemperatureRange,
}

/// <summary>A warning is a record on the asset; a critical alarm also freezes it (authority IotAlarm) until people clear it.</summary>
public enum AlarmSeverity { Warning, Critical }

/// <summary>
/// One version of an operator's alarm rule. A rule applies to the assets of <see cref="AssetKind"/> watched by devices of
/// <see cref="DeviceKind"/> (null: any). Every change makes a new version; an alarm names the version that raised it, so
/// what the rule said then stays readable after it changes. Decimals are strings, exactly as the operator wrote them.
/// </summary>
public sealed record AlarmRule(string Id, int Version, AlarmCondition Condition, AlarmSeverity Severity, AssetKind? AssetKind, DeviceKind? DeviceKind,
    string? DeviationPercent = null, int? Readings = null, int? Minutes = null, string? MinTemperature = null, string? MaxTemperature = null)
{
    public bool AppliesTo(AssetKind asset, DeviceKind device) => (AssetKind is null || AssetKind == asset) && (DeviceKind is null || DeviceKind == device);
}

public static class AlarmLimits
{
    public const int RuleIdMaxLength = 40;
    public const int Readings = 500;
    /// <summary>A week: the longest window a rule counts over.</summary>
    public const int Minutes = 7 * 24 * 60;
    public const int Counters = 50;
    public const int Rules = 200;
    /// <summary>A gate-out is explained by a release this many minutes before it, unless the rule says otherwise.</summary>
    public const int DefaultGateMinutes = 60;

    public static bool IsWellFormedRuleId(string? id) => DeviceLimits.IsWellFormedId(id) && id!.Length <= RuleIdMaxLength;

    /// <summary>A signed decimal string (a temperature may be below zero).</summary>
    public static bool TryParseSigned(string? text, out decimal value)
    {
        value = 0;
        if (text is null) return false;
        var negative = text.StartsWith('-');
        if (!Decimals.TryParse(negative ? text[1..] : text, out var magnitude)) return false;
        value = negative ? -magnitude : magnitude;
        return true;
    }

    internal static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
