using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Domain.Devices.Alarms;
using AssetLedger.Ledger.Serialization;
using Mediator;

namespace AssetLedger.Application.Devices.Alarms;

/// <summary>An alarm this batch (or sweep) raised on an asset.</summary>
public sealed record RaisedAlarm(AssetId Asset, string AlarmId, string RuleId, AlarmSeverity Severity, long Position);

/// <summary>
/// Runs the rules after readings are logged (and for silence, on a sweep) and records what they find as the asset's
/// own command, by the registry (Role.System), through the command service: the asset's stream decides, so an alarm
/// racing a transfer-out lands before it (and the transfer is refused as frozen) or after it (and freezes the pledged
/// receipt); never both, never neither. Two instances finding the same thing raise it once: one open alarm per rule
/// and device is the asset's rule, and the second append is decided again against the first.
/// </summary>
public sealed class IotAlarms(IEventStore store, AlarmRuleBooks books, ISender sender, IClock clock)
{
    /// <summary>How far back (in events, each a delivery of readings) a rule that counts readings or minutes looks in the device's stream.</summary>
    public const int HistoryEvents = 1000;

    public async Task<IReadOnlyList<RaisedAlarm>> AfterReadings(DeviceState before, DeviceState after, IReadOnlyList<RecordedReading> accepted,
        IReadOnlyList<(string Code, string Message)> refusals, CancellationToken ct)
    {
        var rules = (await books.Load(ct)).Active.ToList();
        if (rules.Count == 0 || after.Watched.Count == 0) return [];
        IReadOnlyList<(AssetId? Asset, ReadingFact Fact, string Message)>? history = null;
        // A message delivered again exactly as it was logged is the network's retry (MQTT's at-least-once), not a replay attack.
        if (refusals.Any(r => r.Code == "reading.replayed"))
        {
            history = await History(after, ct);
            var logged = history.Select(h => h.Message).ToHashSet(StringComparer.Ordinal);
            refusals = [.. refusals.Where(r => r.Code != "reading.replayed" || !logged.Contains(r.Message))];
        }
        var failures = refusals.Select(r => (r.Code, (long?)null)).ToList();
        var last = before.LastCounter;
        foreach (var r in accepted)
        {
            if (last > 0 && r.Counter > last + 1) failures.Add((AlarmEvaluator.CounterGap, r.Counter));
            last = r.Counter;
        }
        var raised = new List<RaisedAlarm>();
        foreach (var id in after.Watched)
        {
            var asset = new AssetId(id);
            var fresh = accepted.Where(r => About(r.Asset, after) == asset).Select(Fact).ToList();
            if (fresh.Count == 0 && !failures.Any(f => AlarmEvaluator.IntegrityCodes.Contains(f.Item1) || f.Item1 == AlarmEvaluator.CounterGap)) continue;
            var state = await AssetStreams.Load(store, asset, ct);
            if (!state.Exists || state.IsClosed) continue;
            var findings = new List<AlarmFinding>(AlarmEvaluator.OnIntegrity(rules, after, state, failures));
            if (fresh.Count > 0)
            {
                // Rules over several readings need the ones before this batch; read them only when the batch alone breaks one.
                IReadOnlyList<ReadingFact> facts = fresh;
                if (AlarmEvaluator.NeedsHistory(rules, after, state, fresh))
                {
                    history ??= await History(after, ct);
                    facts = [.. history.Where(h => h.Asset == asset).Select(h => h.Fact)];
                }
                findings.AddRange(AlarmEvaluator.OnReadings(rules, after, state, facts, fresh.Count));
            }
            foreach (var finding in findings) if (await Raise(finding, ct) is { } alarm) raised.Add(alarm);
        }
        return raised;
    }

    /// <summary>
    /// Silence: every device in service, watching something, that has sent nothing for longer than a rule allows. A sweep
    /// on every instance (a restart forgets nothing: the devices' own streams say when each last spoke); two instances
    /// finding the same silence raise it once.
    /// </summary>
    public async Task<IReadOnlyList<RaisedAlarm>> Silence(IDeviceDirectory directory, DeviceStates states, CancellationToken ct)
    {
        var rules = (await books.Load(ct)).Active.Where(r => r.Condition == AlarmCondition.Silence).ToList();
        var raised = new List<RaisedAlarm>();
        if (rules.Count == 0) return raised;
        var now = clock.UtcNow;
        var after = "";
        while (true)
        {
            var page = await directory.Page(after, 500, ct);
            foreach (var id in page) await SilenceOf(await states.Load(id, ct), rules, now, raised, ct);
            if (page.Count < 500) return raised;
            after = page[^1];
        }
    }

    async Task SilenceOf(DeviceState device, IReadOnlyList<AlarmRule> rules, DateTimeOffset now, List<RaisedAlarm> raised, CancellationToken ct)
    {
        foreach (var id in device.Watched)
        {
            var state = await AssetStreams.Load(store, new AssetId(id), ct);
            if (!state.Exists || state.IsClosed || state.Alarms.Values.Any(a => a.Device == device.Id && a.Condition == AlarmCondition.Silence)) continue;
            foreach (var finding in AlarmEvaluator.OnSilence(rules, device, state, now))
                if (await Raise(finding, ct) is { } alarm) raised.Add(alarm);
        }
    }

    async Task<RaisedAlarm?> Raise(AlarmFinding finding, CancellationToken ct)
    {
        var at = clock.UtcNow;
        var command = finding.ToCommand(AlarmId(finding, at), Actor.SystemActor, at);
        var outcome = await sender.Send(new ExecuteAssetCommand(command, new CommandContext(User: "iot-alarms")), ct);
        // Already open (another batch or instance raised it first), or the asset moved on: nothing more to record.
        if (!outcome.Ok || outcome.Events.Count == 0) return null;
        return new(finding.Asset, command.AlarmId, finding.Rule.Id, finding.Rule.Severity, outcome.Events[^1].Position);
    }

    async Task<IReadOnlyList<(AssetId? Asset, ReadingFact Fact, string Message)>> History(DeviceState device, CancellationToken ct)
    {
        var events = await store.ReadStream(DeviceDecider.StreamOf(device.Id), Math.Max(1, device.Version - HistoryEvents + 1), HistoryEvents, ct);
        return [.. events.Where(e => e.Type is "device-reading-recorded" or "device-readings-recorded")
            .SelectMany(e => EventSerializer.Instance.Deserialize(e.Type, e.Data) switch
            {
                DeviceReadingsRecorded batch => batch.Readings,
                DeviceReadingRecorded r => [new RecordedReading(r.Counter, r.MeasuredAt, r.Asset, r.Measurements, r.KeyId, r.Message)],
                _ => [],
            })
            .Select(r => (About(r.Asset, device), Fact(r), r.Message))];
    }

    /// <summary>A short id no other finding shares: the rule, device, asset, last reading and time it was found at, hashed.</summary>
    public static string AlarmId(AlarmFinding f, DateTimeOffset at)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{f.Rule.Id}\n{f.Device}\n{f.Asset}\n{f.Counters.LastOrDefault()}\n{at.UtcTicks}"));
        return "iot-" + Convert.ToHexStringLower(hash)[..20];
    }

    /// <summary>The asset a reading is about: the one it names, else the device's only watched asset.</summary>
    static AssetId? About(AssetId? named, DeviceState device) => named ?? (device.Watched.Count == 1 ? new AssetId(device.Watched.Min) : null);

    static ReadingFact Fact(RecordedReading r) => new(r.Counter, r.MeasuredAt, r.Measurements);
}
