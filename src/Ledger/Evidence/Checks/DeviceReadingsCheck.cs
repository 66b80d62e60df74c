using System.Text.Json;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// The readings of the devices in the bundle (docs/evidence-bundle.md §4b): every device stream that begins at version 1
/// is replayed through its key history, and each reading's COSE_Sign1 signature is checked against the key the device
/// held when it was logged (not revoked, confirmed), with the Domain's reading rules. In an asset bundle every stream of
/// <c>devices.jsonl</c> is a device that was bound to the asset (or to a receipt it was split from), and every device an
/// alarm on the asset names is there, so the readings that raised it can be read and checked.
/// </summary>
static class DeviceReadingsCheck
{
    const string Prefix = "device-";

    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        if (bundle.Manifest.Kind == "asset" && bundle.Manifest.FormatVersion >= BundleFormat.FirstVersionWithDevices) Membership(bundle, failures);
        int devices = 0, readings = 0;
        foreach (var (stream, list) in bundle.Streams.ByStream.Where(s => s.Key.StartsWith(Prefix, StringComparison.Ordinal) && s.Value[0].Version == 1).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var history = new List<IDeviceEvent>();
            foreach (var e in list)
            {
                if (Read(e) is IDeviceEvent d) history.Add(d);
                else { failures.Add($"{e.Where}: not a device event"); break; }
            }
            if (history.Count != list.Count) continue;
            devices++;
            var (keys, verdicts) = LoggedReadings.Check(history);
            foreach (var (i, problem) in keys) failures.Add($"{list[i].Where}: {problem}");
            foreach (var v in verdicts)
                if (v.Problem is null) readings++;
                else failures.Add($"{list[v.Index].Where}: reading {v.Counter}: {v.Problem}");
        }
        return VerificationCheck.From("device readings", failures,
            $"{readings} readings of {devices} devices signed (COSE_Sign1, ES256) by the key each device held, confirmed and not revoked, when the reading was logged");
    }

    static object? Read(BundleEvent e)
    {
        try { return EventSerializer.Instance.Deserialize(e.Type, e.Data); }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException) { return null; }
    }

    static void Membership(ParsedBundle bundle, List<string> failures)
    {
        var lineage = StreamChainsCheck.Lineage(bundle);
        foreach (var group in bundle.DeviceEvents.GroupBy(e => e.StreamId))
        {
            var first = group.First();
            if (!group.Key.StartsWith(Prefix, StringComparison.Ordinal)) { failures.Add($"{first.Where}: {BundleFormat.Devices} holds only device streams"); continue; }
            if (!group.Any(e => e.Type == "device-bound" && Read(e) is DeviceBound b && lineage.ContainsKey(b.Asset.StreamId)))
                failures.Add($"{first.Where}: {group.Key} was never bound to {bundle.Manifest.AssetStream}");
        }
        foreach (var e in bundle.Main.Where(e => e.Type == "asset-iot-alarm-raised"))
            if (Read(e) is IotAlarmRaised a && a.Device.Length > 0 && !bundle.DeviceEvents.Any(d => d.StreamId == Prefix + a.Device))
                failures.Add($"{e.Where}: alarm {a.AlarmId} names device {a.Device}, whose stream is not in {BundleFormat.Devices}");
    }
}
