using System.Collections.Immutable;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Devices.Alarms;

/// <summary>A fact in the operator's alarm rule book (one stream, <c>alarm-rules</c>: a few hundred rules at most).</summary>
public interface IAlarmRuleEvent
{
    string RuleId { get; }
    ParticipantId By { get; }
    DateTimeOffset At { get; }
}

/// <summary>A rule's new version (the first is 1); it replaces the previous version for alarms raised from now on.</summary>
[StoredEvent("alarm-rule-set")]
public sealed record AlarmRuleSet(string RuleId, AlarmRule Rule, ParticipantId By, DateTimeOffset At) : IAlarmRuleEvent;

/// <summary>The rule raises no more alarms; alarms it raised stay open until cleared.</summary>
[StoredEvent("alarm-rule-retired")]
public sealed record AlarmRuleRetired(string RuleId, int Version, string Reason, ParticipantId By, DateTimeOffset At) : IAlarmRuleEvent;

public static class AlarmRuleEventTypes
{
    public static readonly IReadOnlyList<Type> All = [typeof(AlarmRuleSet), typeof(AlarmRuleRetired)];
}

/// <summary>The rule book folded: each rule's latest version, and which are retired.</summary>
public sealed record AlarmRuleBook
{
    public static readonly AlarmRuleBook Empty = new();

    public long Version { get; init; }
    public ImmutableSortedDictionary<string, AlarmRule> Rules { get; init; } = ImmutableSortedDictionary<string, AlarmRule>.Empty;
    public ImmutableSortedSet<string> Retired { get; init; } = ImmutableSortedSet<string>.Empty;

    /// <summary>The rules that raise alarms now.</summary>
    public IEnumerable<AlarmRule> Active => Rules.Values.Where(r => !Retired.Contains(r.Id));

    public static AlarmRuleBook Evolve(AlarmRuleBook s, IAlarmRuleEvent e) => (e switch
    {
        AlarmRuleSet set => s with { Rules = s.Rules.SetItem(set.RuleId, set.Rule), Retired = s.Retired.Remove(set.RuleId) },
        AlarmRuleRetired r => s with { Retired = s.Retired.Add(r.RuleId) },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "No fold for this event."),
    }) with { Version = s.Version + 1 };
}
