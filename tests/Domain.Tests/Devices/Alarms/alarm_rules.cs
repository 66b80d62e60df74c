using AssetLedger.Domain.Devices;
using AssetLedger.Domain.Devices.Alarms;

namespace AssetLedger.Domain.Tests.Devices.Alarms;

/// <summary>The operator's rule book: versioned, validated per condition, and nobody else's to write.</summary>
public class alarm_rules
{
    static readonly Actor Op = Actor.Of("operator", Role.Operator);

    static AlarmRule ShortWeight(string percent = "2") =>
        new("x", 0, AlarmCondition.QuantityDeviation, AlarmSeverity.Critical, AssetKind.WarehouseReceipt, DeviceKind.Weighbridge, DeviationPercent: percent, Readings: 3);

    static AlarmRuleBook Book(params IAlarmRuleEvent[] events) => events.Aggregate(AlarmRuleBook.Empty, AlarmRuleBook.Evolve);

    [Fact]
    public void each_change_is_a_new_version_and_an_identical_one_is_no_change()
    {
        var first = AlarmRuleDecider.Decide(AlarmRuleBook.Empty, new SetAlarmRule("short-weight", ShortWeight(), Op, Now));
        var v1 = Assert.IsType<AlarmRuleSet>(Assert.Single(first.Events));
        Assert.Equal(("short-weight", 1), (v1.Rule.Id, v1.Rule.Version));
        var book = Book(v1);
        Assert.Equal("alarm.no_change", AlarmRuleDecider.Decide(book, new SetAlarmRule("short-weight", ShortWeight(), Op, Now)).Error!.Code);
        var v2 = Assert.IsType<AlarmRuleSet>(Assert.Single(AlarmRuleDecider.Decide(book, new SetAlarmRule("short-weight", ShortWeight("1.5"), Op, Now)).Events));
        Assert.Equal((2, "1.5"), (v2.Rule.Version, v2.Rule.DeviationPercent));
        var retired = Book(v1, v2, new AlarmRuleRetired("short-weight", 2, "replaced", Op.Id, Now));
        Assert.Empty(retired.Active);
        Assert.Equal("alarm.rule_retired", AlarmRuleDecider.Decide(retired, new RetireAlarmRule("short-weight", "again", Op, Now)).Error!.Code);
    }

    [Fact]
    public void only_the_operator_writes_rules()
    {
        foreach (var actor in new[] { Warehouse, Bank, Regulator, Owner, Actor.SystemActor })
            Assert.Equal("alarm.not_operator", AlarmRuleDecider.Decide(AlarmRuleBook.Empty, new SetAlarmRule("r", ShortWeight(), actor, Now)).Error!.Code);
    }

    public static TheoryData<string, AlarmRule, string> Invalid => new()
    {
        { "no percent", ShortWeight() with { DeviationPercent = null }, "deviationPercent" },
        { "percent above 100", ShortWeight("100.5"), "deviationPercent" },
        { "negative percent", ShortWeight("-1"), "deviationPercent" },
        { "no duration", ShortWeight() with { Readings = null }, "readings" },
        { "too many readings", ShortWeight() with { Readings = 501 }, "readings" },
        { "a temperature on a weight rule", ShortWeight() with { MaxTemperature = "8" }, "minTemperature" },
        { "silence without minutes", new AlarmRule("x", 0, AlarmCondition.Silence, AlarmSeverity.Warning, null, null), "minutes" },
        { "silence of 8 days", new AlarmRule("x", 0, AlarmCondition.Silence, AlarmSeverity.Warning, null, null, Minutes: 8 * 24 * 60), "minutes" },
        { "a range upside down", new AlarmRule("x", 0, AlarmCondition.TemperatureRange, AlarmSeverity.Warning, null, null, MinTemperature: "8", MaxTemperature: "2"), "maxTemperature" },
        { "a range of nothing", new AlarmRule("x", 0, AlarmCondition.TemperatureRange, AlarmSeverity.Warning, null, null), "maxTemperature" },
        { "integrity with minutes", new AlarmRule("x", 0, AlarmCondition.Integrity, AlarmSeverity.Warning, null, null, Minutes: 5), "minutes" },
        { "gate with readings", new AlarmRule("x", 0, AlarmCondition.GateOutWithoutOrder, AlarmSeverity.Critical, null, null, Readings: 2), "readings" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void a_rule_says_exactly_what_its_condition_needs(string name, AlarmRule rule, string field)
    {
        var error = AlarmRuleDecider.Decide(AlarmRuleBook.Empty, new SetAlarmRule("r", rule, Op, Now)).Error;
        Assert.True(error is not null, name);
        Assert.Equal(("alarm.invalid", field), (error!.Code, error.Field));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("a-rule-id-that-is-longer-than-forty-chars-x")]
    public void a_rule_id_is_short_and_plain(string id)
    {
        Assert.Equal("alarm.invalid", AlarmRuleDecider.Decide(AlarmRuleBook.Empty, new SetAlarmRule(id, ShortWeight(), Op, Now)).Error!.Code);
    }
}
