using System.Formats.Cbor;
using AssetLedger.Domain.Devices;

namespace AssetLedger.Ledger.Devices;

/// <summary>The CBOR body of a reading: integer keys for the envelope, text keys for the measurements.</summary>
public static class ReadingBody
{
    const int DeviceKey = 1, CounterKey = 2, TimeKey = 3, AssetKey = 4, MeasurementsKey = 5;

    public static byte[] Encode(string device, long counter, DateTimeOffset at, string? asset, Measurements m)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(asset is null ? 4 : 5);
        w.WriteInt32(DeviceKey); w.WriteTextString(device);
        w.WriteInt32(CounterKey); w.WriteInt64(counter);
        w.WriteInt32(TimeKey); w.WriteInt64(at.ToUnixTimeMilliseconds());
        if (asset is not null) { w.WriteInt32(AssetKey); w.WriteTextString(asset); }
        w.WriteInt32(MeasurementsKey);
        var fields = Fields(m).ToList();
        w.WriteStartMap(fields.Count);
        foreach (var (name, value) in fields.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            w.WriteTextString(name);
            if (value is bool b) w.WriteBoolean(b); else w.WriteTextString((string)value);
        }
        w.WriteEndMap();
        w.WriteEndMap();
        return w.Encode();
    }

    public static (string Device, long Counter, DateTimeOffset At, string? Asset, Measurements Measurements) Decode(ReadOnlySpan<byte> content)
    {
        var r = new CborReader(content.ToArray(), CborConformanceMode.Strict);
        string? device = null, asset = null; long? counter = null, ms = null; Measurements? m = null;
        var count = r.ReadStartMap() ?? throw new FormatException("an indefinite-length map");
        for (var i = 0; i < count; i++)
        {
            switch (r.ReadInt32())
            {
                case DeviceKey: device = r.ReadTextString(); break;
                case CounterKey: counter = r.ReadInt64(); break;
                case TimeKey: ms = r.ReadInt64(); break;
                case AssetKey: asset = r.ReadTextString(); break;
                case MeasurementsKey: m = ReadMeasurements(r); break;
                default: throw new FormatException("an unknown key in the reading");
            }
        }
        r.ReadEndMap();
        if (r.BytesRemaining != 0) throw new FormatException("bytes after the reading");
        if (device is null || counter is not > 0 || ms is null || m is null) throw new FormatException("device (1), counter above 0 (2), time (3) and measurements (5) are required");
        return (device, counter.Value, DateTimeOffset.FromUnixTimeMilliseconds(ms.Value), asset, m);
    }

    static Measurements ReadMeasurements(CborReader r)
    {
        var m = new Measurements();
        var count = r.ReadStartMap() ?? throw new FormatException("an indefinite-length map");
        for (var i = 0; i < count; i++)
        {
            var name = r.ReadTextString();
            m = name switch
            {
                "heartbeat" => m with { Heartbeat = r.ReadBoolean() },
                "gate" => m with { Gate = r.ReadTextString() switch { "in" => GateDirection.In, "out" => GateDirection.Out, _ => throw new FormatException("gate is \"in\" or \"out\"") } },
                _ => Text(m, name, Bounded(r.ReadTextString())),
            };
        }
        r.ReadEndMap();
        return m;
    }

    static Measurements Text(Measurements m, string name, string v) => name switch
    {
        "weight" => m with { Weight = Decimal(v) }, "level" => m with { Level = Decimal(v) }, "count" => m with { Count = Decimal(v) },
        "temperature" => m with { Temperature = Decimal(v) }, "unit" => m with { Unit = v }, "plate" => m with { Plate = v },
        "nameplate" => m with { Nameplate = v },
        "video" => m with { VideoSha256 = v.Length == 64 && v.All(char.IsAsciiHexDigitLower) ? v : throw new FormatException("video is a SHA-256 in lower-case hex") },
        _ => throw new FormatException($"an unknown measurement '{name}'"),
    };

    static string Bounded(string v) => v.Length <= DeviceLimits.Text && AssetLedger.Domain.Common.TextRules.IsAcceptable(v) ? v : throw new FormatException("a measurement is printable text of at most 200 characters");

    static string Decimal(string v) =>
        v.Length is > 0 and <= 40 && decimal.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
            System.Globalization.CultureInfo.InvariantCulture, out _) ? v : throw new FormatException($"'{v}' is not a decimal number");

    static IEnumerable<(string Name, object Value)> Fields(Measurements m)
    {
        if (m.Weight is { } w) yield return ("weight", w);
        if (m.Level is { } l) yield return ("level", l);
        if (m.Count is { } c) yield return ("count", c);
        if (m.Unit is { } u) yield return ("unit", u);
        if (m.Gate is { } g) yield return ("gate", g == GateDirection.In ? "in" : "out");
        if (m.Plate is { } p) yield return ("plate", p);
        if (m.Nameplate is { } n) yield return ("nameplate", n);
        if (m.Temperature is { } t) yield return ("temperature", t);
        if (m.VideoSha256 is { } v) yield return ("video", v);
        if (m.Heartbeat) yield return ("heartbeat", true);
    }
}
