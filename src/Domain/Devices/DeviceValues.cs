using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Devices;

/// <summary>What a device is (物联网设备): how it watches goods.</summary>
public enum DeviceKind
{
    Weighbridge,
    RfidGate,
    PlateCamera,
    NameplateScanner,
    TankLevel,
    Temperature,
    Video,
}

public enum DeviceStatus { None, Registered, Suspended, Decommissioned }

public enum GateDirection { In, Out }

/// <summary>
/// What one reading measured; each field is optional and a reading carries at least one. Quantities are decimal strings
/// kept exactly as the device sent them, with their unit.
/// </summary>
public sealed record Measurements
{
    public string? Weight { get; init; }
    public string? Level { get; init; }
    public string? Count { get; init; }
    public string? Unit { get; init; }
    public GateDirection? Gate { get; init; }
    public string? Plate { get; init; }
    public string? Nameplate { get; init; }
    /// <summary>Degrees Celsius, a decimal string.</summary>
    public string? Temperature { get; init; }
    /// <summary>SHA-256 (hex) of a video segment kept elsewhere.</summary>
    public string? VideoSha256 { get; init; }
    public bool Heartbeat { get; init; }

    public bool IsEmpty => Weight is null && Level is null && Count is null && Gate is null && Plate is null && Nameplate is null &&
        Temperature is null && VideoSha256 is null && !Heartbeat;
}

/// <summary>A reading as read from a verified signed message (the Ledger checks the signature; the Domain checks the rest).</summary>
public sealed record Reading(string Device, long Counter, DateTimeOffset MeasuredAt, string? Asset, Measurements Measurements, string KeyId, string Message);

/// <summary>The limits of what a device record and a reading may hold.</summary>
public static class DeviceLimits
{
    public const int IdMaxLength = 64;
    public const string IdPattern = "^[a-z0-9][a-z0-9._-]{0,63}$";
    public const int Text = 200;
    public const int Reason = 500;
    public const int KeyMaxLength = 400;
    /// <summary>Readings one request (or one append) may carry.</summary>
    public const int BatchMax = 500;
    /// <summary>One signed message's size, base64 (a reading is a few hundred bytes).</summary>
    public const int MessageMaxLength = 4096;
    public const int AssetsPerDevice = 100;
    /// <summary>A reading may come this late (a device buffers while offline)…</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    /// <summary>…and its clock may run this far ahead of the registry's.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromMinutes(2);

    public static bool IsWellFormedId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= IdMaxLength && id[0] is >= 'a' and <= 'z' or >= '0' and <= '9' &&
        id.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-');
}
