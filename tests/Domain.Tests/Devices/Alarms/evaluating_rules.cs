using AssetLedger.Domain.Devices;
using AssetLedger.Domain.Devices.Alarms;
using static AssetLedger.Domain.Tests.Devices.DeviceSpec;

namespace AssetLedger.Domain.Tests.Devices.Alarms;

/// <summary>
/// The rule table: each condition fires on the readings that break it, and only when a fresh reading completes the
/// evidence. The receipt holds 1200.5 t; the device is weighbridge wb-1 watching it.
/// </summary>
public class evaluating_rules
{
    static readonly AssetState Receipt = Given(Active());
    static readonly DeviceState Weighbridge = Device(Added(), Watches, Vouched);

    static AlarmRule Rule(AlarmCondition condition, string? percent = null, int? readings = null, int? minutes = null, string? min = null, string? max = null,
        AssetKind? assetKind = AssetKind.WarehouseReceipt, DeviceKind? deviceKind = null) =>
        new("r", 1, condition, AlarmSeverity.Critical, assetKind, deviceKind, percent, readings, minutes, min, max);

    static ReadingFact Weight(long counter, string weight, int minute = 0, string? unit = "t") =>
        new(counter, Now.AddMinutes(minute), new Measurements { Weight = weight, Unit = unit });

    static ReadingFact Temp(long counter, string celsius) => new(counter, Now, new Measurements { Temperature = celsius });

    static ReadingFact Gate(long counter, GateDirection direction, int minute = 0, string plate = "沪A12345") =>
        new(counter, Now.AddMinutes(minute), new Measurements { Gate = direction, Plate = plate });

    static IReadOnlyList<AlarmFinding> On(AlarmRule rule, IReadOnlyList<ReadingFact> history, int fresh = 1, AssetState? asset = null) =>
        AlarmEvaluator.OnReadings([rule], Weighbridge, asset ?? Receipt, history, fresh);

    public static TheoryData<string, string[], int?, int?, bool> Deviations => new()
    {
        // name, weights (1 min apart), readings N, minutes T, fires
        { "three short readings in a row", ["1100", "1100", "1100"], 3, null, true },
        { "two short readings are not yet three", ["1200.5", "1100", "1100"], 3, null, false },
        { "a good reading breaks the run", ["1100", "1200", "1100"], 2, null, false },
        { "within 2 % is no deviation", ["1177", "1177", "1177"], 3, null, false },
        { "just over 2 % is", ["1176.48", "1176.48", "1176.48"], 3, null, true },
        { "too heavy counts too", ["1300", "1300", "1300"], 3, null, true },
        { "short for 2 minutes when T is 2", ["1100", "1100", "1100"], null, 2, true },
        { "short for 1 minute when T is 2", ["1200.5", "1100", "1100"], null, 2, false },
    };

    [Theory]
    [MemberData(nameof(Deviations))]
    public void quantity_deviation(string name, string[] weights, int? readings, int? minutes, bool fires)
    {
        var history = weights.Select((w, i) => Weight(i + 1, w, i)).ToList();
        var findings = On(Rule(AlarmCondition.QuantityDeviation, "2", readings, minutes), history);
        Assert.True(fires == (findings.Count == 1), name);
        if (fires) Assert.Contains("1200.5 t", findings[0].Detail);
    }

    [Fact]
    public void old_evidence_alone_never_fires_again()
    {
        var history = new[] { Weight(1, "1100"), Weight(2, "1100"), Weight(3, "1100") };
        Assert.Single(On(Rule(AlarmCondition.QuantityDeviation, "2", 3), history, fresh: 1));
        Assert.Empty(On(Rule(AlarmCondition.QuantityDeviation, "2", 3), history, fresh: 0));
    }

    [Fact]
    public void readings_in_another_unit_or_of_nothing_are_not_compared()
    {
        var history = new[] { Weight(1, "1100"), new ReadingFact(2, Now, new Measurements { Heartbeat = true }), Weight(3, "1100"), Weight(4, "1100000", unit: "kg") };
        // The kilogram reading is skipped, so the newest comparable reading (3) is not fresh: no finding from old evidence.
        Assert.Empty(On(Rule(AlarmCondition.QuantityDeviation, "2", 2), history));
        Assert.Single(On(Rule(AlarmCondition.QuantityDeviation, "2", 2), history, fresh: 2));
    }

    [Theory]
    [InlineData("-18", "-30", "-15", 1, false)]
    [InlineData("-12", "-30", "-15", 1, true)]
    [InlineData("-31", "-30", null, 1, true)]
    [InlineData("9", null, "8", 2, false)]
    public void temperature_range(string celsius, string? min, string? max, int readings, bool fires)
    {
        var findings = On(Rule(AlarmCondition.TemperatureRange, min: min, max: max, readings: readings), [Temp(1, celsius)]);
        Assert.Equal(fires, findings.Count == 1);
    }

    [Fact]
    public void a_gate_out_without_a_release_fires_and_one_after_a_release_does_not()
    {
        var rule = Rule(AlarmCondition.GateOutWithoutOrder, minutes: 60);
        var finding = Assert.Single(On(rule, [Gate(7, GateDirection.Out)]));
        Assert.Equal([7L], finding.Counters);
        Assert.Contains("沪A12345", finding.Detail);
        Assert.Empty(On(rule, [Gate(7, GateDirection.In)]));
        var released = Given([.. Active(), new AssetGoodsReleased(Asset, "DO-1", new Quantity("100", "t"), new Quantity("1100.5", "t"), Warehouse.Id, null, Now.AddMinutes(-30))]);
        Assert.Empty(On(rule, [Gate(7, GateDirection.Out)], asset: released));
        Assert.Single(On(rule, [Gate(7, GateDirection.Out, minute: 90)], asset: released)); // the release was 2 h before
    }

    [Fact]
    public void a_rule_applies_only_to_its_kinds()
    {
        var history = new[] { Weight(1, "1100") };
        Assert.Empty(On(Rule(AlarmCondition.QuantityDeviation, "2", 1, deviceKind: DeviceKind.TankLevel), history));
        Assert.Empty(On(Rule(AlarmCondition.QuantityDeviation, "2", 1, assetKind: AssetKind.Receivable), history));
        Assert.Single(On(Rule(AlarmCondition.QuantityDeviation, "2", 1, assetKind: null, deviceKind: DeviceKind.Weighbridge), history));
    }

    [Fact]
    public void integrity_failures_and_counter_gaps_fire_and_configuration_mistakes_do_not()
    {
        var rule = Rule(AlarmCondition.Integrity);
        Assert.Single(AlarmEvaluator.OnIntegrity([rule], Weighbridge, Receipt, [("reading.bad_signature", 5)]));
        Assert.Single(AlarmEvaluator.OnIntegrity([rule], Weighbridge, Receipt, [(AlarmEvaluator.CounterGap, 9)]));
        Assert.Empty(AlarmEvaluator.OnIntegrity([rule], Weighbridge, Receipt, [("reading.outside_window", 5), ("reading.asset_not_watched", 6)]));
    }

    [Fact]
    public void silence_counts_from_the_last_reading_or_the_confirmation()
    {
        var rule = Rule(AlarmCondition.Silence, minutes: 30);
        Assert.Empty(AlarmEvaluator.OnSilence([rule], Weighbridge, Receipt, T0.AddMinutes(30)));
        Assert.Single(AlarmEvaluator.OnSilence([rule], Weighbridge, Receipt, T0.AddMinutes(31)));
        var unconfirmed = Device(Added(), Watches);
        Assert.Empty(AlarmEvaluator.OnSilence([rule], unconfirmed, Receipt, T0.AddDays(1)));
        var suspended = Device(Added(), Watches, Vouched, new DeviceSuspended("wb-1", "maintenance", Host.Id, T0));
        Assert.Empty(AlarmEvaluator.OnSilence([rule], suspended, Receipt, T0.AddDays(1)));
    }
}
