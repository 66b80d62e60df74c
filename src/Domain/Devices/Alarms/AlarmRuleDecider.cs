using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using Decision = AssetLedger.Domain.Common.Decision<AssetLedger.Domain.Devices.Alarms.IAlarmRuleEvent>;

namespace AssetLedger.Domain.Devices.Alarms;

public interface IAlarmRuleCommand
{
    string RuleId { get; }
    Actor Actor { get; }
    DateTimeOffset At { get; }
}

/// <summary>Create a rule or give it a new version. <paramref name="Rule"/>'s version is ignored: the book numbers versions.</summary>
public sealed record SetAlarmRule(string RuleId, AlarmRule Rule, Actor Actor, DateTimeOffset At) : IAlarmRuleCommand;

public sealed record RetireAlarmRule(string RuleId, string Reason, Actor Actor, DateTimeOffset At) : IAlarmRuleCommand;

/// <summary>The operator's alarm rules (告警规则) as pure decisions: versioned, validated per condition, operator only.</summary>
public static class AlarmRuleDecider
{
    public const string Stream = "alarm-rules";

    public static Decision Decide(AlarmRuleBook s, IAlarmRuleCommand c)
    {
        if (!c.Actor.Has(Role.Operator)) return AlarmErrors.NotOperator;
        if (!AlarmLimits.IsWellFormedRuleId(c.RuleId)) return AlarmErrors.Invalid("id", $"A rule id is 1–{AlarmLimits.RuleIdMaxLength} characters of a–z, 0–9, '.', '_' or '-', starting with a letter or digit.");
        switch (c)
        {
            case SetAlarmRule set:
                if (!s.Rules.ContainsKey(c.RuleId) && s.Rules.Count >= AlarmLimits.Rules) return AlarmErrors.TooManyRules;
                if (Validate(set.Rule) is { } invalid) return invalid;
                var version = s.Rules.TryGetValue(c.RuleId, out var previous) ? previous.Version + 1 : 1;
                var rule = set.Rule with { Id = c.RuleId, Version = version };
                if (previous is not null && previous with { Version = version } == rule && !s.Retired.Contains(c.RuleId)) return AlarmErrors.NoChange(c.RuleId);
                return Decision.Of(new AlarmRuleSet(c.RuleId, rule, c.Actor.Id, c.At));
            case RetireAlarmRule retire:
                if (!s.Rules.TryGetValue(c.RuleId, out var current)) return AlarmErrors.RuleNotFound(c.RuleId);
                if (s.Retired.Contains(c.RuleId)) return AlarmErrors.RuleRetired(c.RuleId);
                if (string.IsNullOrWhiteSpace(retire.Reason) || retire.Reason.Length > DeviceLimits.Reason) return AlarmErrors.Invalid("reason", $"A reason (1–{DeviceLimits.Reason} characters) is required.");
                return Decision.Of(new AlarmRuleRetired(c.RuleId, current.Version, retire.Reason, c.Actor.Id, c.At));
            default:
                throw new ArgumentOutOfRangeException(nameof(c), c.GetType().Name, "No decision for this command.");
        }
    }

    /// <summary>Each condition takes the parameters it needs and no others, so a rule never says more than it does.</summary>
    public static DomainError? Validate(AlarmRule r)
    {
        bool readings = r.Readings is not null, minutes = r.Minutes is not null, percent = r.DeviationPercent is not null, range = r.MinTemperature is not null || r.MaxTemperature is not null;
        if (r.Readings is < 1 or > AlarmLimits.Readings) return AlarmErrors.Invalid("readings", $"readings is 1–{AlarmLimits.Readings}.");
        if (r.Minutes is < 1 or > AlarmLimits.Minutes) return AlarmErrors.Invalid("minutes", $"minutes is 1–{AlarmLimits.Minutes} (a week).");
        switch (r.Condition)
        {
            case AlarmCondition.QuantityDeviation:
                if (!Decimals.TryParsePositive(r.DeviationPercent, out var p) || p > 100) return AlarmErrors.Invalid("deviationPercent", "deviationPercent is a decimal string above 0 and at most 100, e.g. \"2.5\".");
                if (!readings && !minutes) return AlarmErrors.Invalid("readings", "Say how long a deviation must last: readings (N in a row), minutes (T), or both (whichever comes first).");
                return range ? Unused("minTemperature") : null;
            case AlarmCondition.TemperatureRange:
                decimal min = decimal.MinValue, max = decimal.MaxValue;
                if (r.MinTemperature is not null && !AlarmLimits.TryParseSigned(r.MinTemperature, out min)) return AlarmErrors.Invalid("minTemperature", "minTemperature is a decimal string in °C, e.g. \"-18\".");
                if (r.MaxTemperature is not null && !AlarmLimits.TryParseSigned(r.MaxTemperature, out max)) return AlarmErrors.Invalid("maxTemperature", "maxTemperature is a decimal string in °C, e.g. \"8.5\".");
                if (!range) return AlarmErrors.Invalid("maxTemperature", "Give minTemperature, maxTemperature or both.");
                if (min >= max) return AlarmErrors.Invalid("maxTemperature", "maxTemperature must be above minTemperature.");
                return percent ? Unused("deviationPercent") : minutes ? Unused("minutes") : null;
            case AlarmCondition.GateOutWithoutOrder:
                return percent ? Unused("deviationPercent") : range ? Unused("minTemperature") : readings ? Unused("readings") : null;
            case AlarmCondition.Silence:
                if (!minutes) return AlarmErrors.Invalid("minutes", "A silence rule says after how many minutes without a reading it raises its alarm.");
                return percent ? Unused("deviationPercent") : range ? Unused("minTemperature") : readings ? Unused("readings") : null;
            case AlarmCondition.Integrity:
                return percent ? Unused("deviationPercent") : range ? Unused("minTemperature") : readings ? Unused("readings") : minutes ? Unused("minutes") : null;
            default:
                return AlarmErrors.Invalid("condition", "Unknown condition.");
        }
    }

    static DomainError Unused(string field) => AlarmErrors.Invalid(field, $"'{field}' has no meaning for this condition; leave it out.");
}
