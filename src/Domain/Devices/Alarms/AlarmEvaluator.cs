using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Devices.Alarms;

/// <summary>A reading as the rules see it: the device's counter, when it measured, what it measured.</summary>
public sealed record ReadingFact(long Counter, DateTimeOffset MeasuredAt, Measurements Measurements);

/// <summary>A rule that fired: the readings (counters) that made it fire and what they showed.</summary>
public sealed record AlarmFinding(AlarmRule Rule, string Device, AssetId Asset, IReadOnlyList<long> Counters, string Detail)
{
    /// <summary>The command that records it on the asset under <paramref name="alarmId"/> (one no other finding shares).</summary>
    public RaiseIotAlarm ToCommand(string alarmId, Actor system, DateTimeOffset at) =>
        new(Asset, alarmId, Rule.Id, Rule.Version, Rule.Condition, Rule.Severity, Device, Counters, Detail, system, at);
}

/// <summary>
/// The alarm rules as pure functions of what the registry knows: the asset, the device, and the device's readings about
/// the asset. Each finding comes from at least one reading just accepted (or a refusal just counted, or a silence just
/// noticed), so a rule never fires again on old evidence alone; one open alarm per rule and device is the asset's rule.
/// </summary>
public static class AlarmEvaluator
{
    /// <summary>Reading refusals that say someone tampered with a device or its messages (not configuration mistakes).</summary>
    public static readonly IReadOnlySet<string> IntegrityCodes = new HashSet<string>(StringComparer.Ordinal)
        { "reading.bad_signature", "reading.unknown_key", "reading.revoked_key", "reading.replayed" };

    public const string CounterGap = "reading.counter_gap";

    /// <param name="history">The device's readings about the asset, oldest first, ending with the <paramref name="fresh"/> just accepted.</param>
    public static IReadOnlyList<AlarmFinding> OnReadings(IEnumerable<AlarmRule> rules, DeviceState device, AssetState asset, IReadOnlyList<ReadingFact> history, int fresh)
    {
        var findings = new List<AlarmFinding>();
        var firstFresh = history.Count - fresh;
        foreach (var rule in rules.Where(r => r.AppliesTo(asset.Kind, device.Kind)))
        {
            var finding = rule.Condition switch
            {
                AlarmCondition.QuantityDeviation => Deviation(rule, device, asset, history, firstFresh),
                AlarmCondition.TemperatureRange => Temperature(rule, device, asset, history, firstFresh),
                AlarmCondition.GateOutWithoutOrder => GateOut(rule, device, asset, history, firstFresh),
                _ => null,
            };
            if (finding is not null) findings.Add(finding);
        }
        return findings;
    }

    /// <param name="failures">Refusal codes (and the counter each claimed, when it could be read) and counter gaps, in order.</param>
    public static IReadOnlyList<AlarmFinding> OnIntegrity(IEnumerable<AlarmRule> rules, DeviceState device, AssetState asset, IReadOnlyList<(string Code, long? Counter)> failures)
    {
        var relevant = failures.Where(f => IntegrityCodes.Contains(f.Code) || f.Code == CounterGap).ToList();
        if (relevant.Count == 0) return [];
        var what = string.Join(", ", relevant.GroupBy(f => f.Code).Select(g => $"{g.Count()} × {g.Key}"));
        return [.. rules.Where(r => r.Condition == AlarmCondition.Integrity && r.AppliesTo(asset.Kind, device.Kind))
            .Select(r => new AlarmFinding(r, device.Id, asset.Id, [.. relevant.Where(f => f.Counter is not null).Select(f => f.Counter!.Value).TakeLast(AlarmLimits.Counters)],
                $"Device {device.Id} failed integrity checks: {what}."))];
    }

    /// <summary>Silence: the device (confirmed, in service) has sent nothing for longer than the rule allows.</summary>
    public static IReadOnlyList<AlarmFinding> OnSilence(IEnumerable<AlarmRule> rules, DeviceState device, AssetState asset, DateTimeOffset now)
    {
        if (device.Status != DeviceStatus.Registered || !device.IsConfirmed || (device.LastReadingAt ?? device.ConfirmedAt) is not { } since) return [];
        return [.. rules.Where(r => r.Condition == AlarmCondition.Silence && r.AppliesTo(asset.Kind, device.Kind) && now - since > TimeSpan.FromMinutes(r.Minutes!.Value))
            .Select(r => new AlarmFinding(r, device.Id, asset.Id, device.LastCounter > 0 ? [device.LastCounter] : [],
                $"Device {device.Id} has sent nothing since {since:yyyy-MM-ddTHH:mm:ssZ} ({(int)(now - since).TotalMinutes} min); the rule allows {r.Minutes} min."))];
    }

    static AlarmFinding? Deviation(AlarmRule rule, DeviceState device, AssetState asset, IReadOnlyList<ReadingFact> history, int firstFresh)
    {
        if (QuantityTest(rule, asset) is not var (measures, deviates, held, q)) return null;
        var run = TrailingRun(history, measures, deviates, firstFresh);
        if (run is null) return null;
        var lasted = run[^1].MeasuredAt - run[0].MeasuredAt;
        var fires = (rule.Readings is { } n && run.Count >= n) || (rule.Minutes is { } t && run.Count > 1 && lasted >= TimeSpan.FromMinutes(t));
        if (!fires) return null;
        var last = decimal.Parse((run[^1].Measurements.Weight ?? run[^1].Measurements.Level)!, System.Globalization.CultureInfo.InvariantCulture);
        var percent = Math.Round((last - q) * 100 / q, 2);
        return new(rule, device.Id, asset.Id, Counters(run),
            $"{(run[^1].Measurements.Weight is not null ? "Weight" : "Level")} {AlarmLimits.Text(last)} {held.Unit} against the receipt's {held.Value} {held.Unit} " +
            $"({(percent > 0 ? "+" : "")}{AlarmLimits.Text(percent)} %) in {run.Count} reading(s) over {(int)lasted.TotalMinutes} min; rule {rule.Id} v{rule.Version} allows {rule.DeviationPercent} %.");
    }

    static AlarmFinding? Temperature(AlarmRule rule, DeviceState device, AssetState asset, IReadOnlyList<ReadingFact> history, int firstFresh)
    {
        var (measured, outside) = TemperatureTest(rule);
        var run = TrailingRun(history, measured, outside, firstFresh);
        if (run is null || run.Count < (rule.Readings ?? 1)) return null;
        return new(rule, device.Id, asset.Id, Counters(run),
            $"Temperature {run[^1].Measurements.Temperature} °C outside [{rule.MinTemperature ?? "-∞"}, {rule.MaxTemperature ?? "+∞"}] °C in {run.Count} reading(s); rule {rule.Id} v{rule.Version}.");
    }

    static AlarmFinding? GateOut(AlarmRule rule, DeviceState device, AssetState asset, IReadOnlyList<ReadingFact> history, int firstFresh)
    {
        var window = TimeSpan.FromMinutes(rule.Minutes ?? AlarmLimits.DefaultGateMinutes);
        // Goods leave legitimately against a recorded release, or when the receipt has ended (released in full, cancelled).
        var unexplained = history.Skip(firstFresh)
            .Where(r => r.Measurements.Gate == GateDirection.Out && !(asset.LastReleaseAt is { } released && released >= r.MeasuredAt - window))
            .ToList();
        if (unexplained.Count == 0) return null;
        var plates = string.Join(", ", unexplained.Select(r => r.Measurements.Plate).OfType<string>().Distinct());
        return new(rule, device.Id, asset.Id, Counters(unexplained),
            $"{unexplained.Count} gate-out(s){(plates.Length > 0 ? $" (plates {plates})" : "")} with no release against a delivery order in the {(int)window.TotalMinutes} min before; rule {rule.Id} v{rule.Version}.");
    }

    /// <summary>
    /// Whether a rule that counts readings or minutes is broken by one of these fresh readings: only then are the
    /// readings before them read, so a batch that breaks nothing costs no extra read.
    /// </summary>
    public static bool NeedsHistory(IEnumerable<AlarmRule> rules, DeviceState device, AssetState asset, IReadOnlyList<ReadingFact> fresh) =>
        rules.Where(r => r.AppliesTo(asset.Kind, device.Kind)).Any(rule => rule.Condition switch
        {
            AlarmCondition.QuantityDeviation => QuantityTest(rule, asset) is var (_, deviates, _, _) && fresh.Any(deviates),
            AlarmCondition.TemperatureRange => fresh.Any(TemperatureTest(rule).Outside),
            _ => false,
        });

    /// <summary>Which readings measure the receipt's quantity (same unit, a weight or level) and which of them deviate beyond the rule.</summary>
    static (Func<ReadingFact, bool> Measures, Func<ReadingFact, bool> Deviates, Quantity Held, decimal Q)? QuantityTest(AlarmRule rule, AssetState asset)
    {
        if (asset.Details.Quantity is not { } held || !Decimals.TryParse(held.Value, out var q) || q == 0) return null;
        Decimals.TryParsePositive(rule.DeviationPercent, out var allowed);
        bool Measured(ReadingFact r, out decimal v)
        {
            v = 0;
            var m = r.Measurements;
            return (m.Unit is null || m.Unit == held.Unit) && Decimals.TryParse(m.Weight ?? m.Level, out v);
        }
        return (r => Measured(r, out _), r => Measured(r, out var v) && Math.Abs(v - q) * 100 > allowed * q, held, q);
    }

    static (Func<ReadingFact, bool> Measures, Func<ReadingFact, bool> Outside) TemperatureTest(AlarmRule rule)
    {
        var min = AlarmLimits.TryParseSigned(rule.MinTemperature, out var lo) ? lo : decimal.MinValue;
        var max = AlarmLimits.TryParseSigned(rule.MaxTemperature, out var hi) ? hi : decimal.MaxValue;
        return (r => AlarmLimits.TryParseSigned(r.Measurements.Temperature, out _),
            r => AlarmLimits.TryParseSigned(r.Measurements.Temperature, out var t) && (t < min || t > max));
    }

    /// <summary>The readings that measure this, from the newest back while each breaks the rule; null unless the newest one is fresh.</summary>
    static List<ReadingFact>? TrailingRun(IReadOnlyList<ReadingFact> history, Func<ReadingFact, bool> measures, Func<ReadingFact, bool> breaks, int firstFresh)
    {
        var run = new List<ReadingFact>();
        var newestIsFresh = false;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (!measures(history[i])) continue;
            if (run.Count == 0 && !newestIsFresh) newestIsFresh = i >= firstFresh;
            if (!breaks(history[i])) break;
            run.Add(history[i]);
        }
        if (!newestIsFresh || run.Count == 0) return null;
        run.Reverse();
        return run;
    }

    static IReadOnlyList<long> Counters(IEnumerable<ReadingFact> readings) => [.. readings.Select(r => r.Counter).TakeLast(AlarmLimits.Counters)];
}
