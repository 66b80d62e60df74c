using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Devices;

/// <summary>A fact in one device's history (stream <c>device-{id}</c>).</summary>
public interface IDeviceEvent
{
    string Device { get; }
    ParticipantId By { get; }
    DateTimeOffset At { get; }
}

/// <summary>
/// The warehouse that hosts a device records it: what it is, where, who made it, and the ECDSA P-256 public key
/// (SubjectPublicKeyInfo, base64) its readings are signed with; <paramref name="KeyId"/> is the key's SHA-256, hex.
/// Its readings count only once a second party has confirmed it.
/// </summary>
[StoredEvent("device-registered")]
public sealed record DeviceRegistered(string Device, DeviceKind Kind, string Site, string Make, string PublicKeySpki, string KeyId,
    ParticipantId By, DateTimeOffset At) : IDeviceEvent;

/// <summary>The device watches this asset from now on: its readings may name it.</summary>
[StoredEvent("device-bound")]
public sealed record DeviceBound(string Device, AssetId Asset, ParticipantId By, DateTimeOffset At) : IDeviceEvent;

[StoredEvent("device-unbound")]
public sealed record DeviceUnbound(string Device, AssetId Asset, ParticipantId By, DateTimeOffset At) : IDeviceEvent;

/// <summary>A second party (a regulator, or the venue holding a watched asset) vouches for the device and its current key.</summary>
[StoredEvent("device-confirmed")]
public sealed record DeviceConfirmed(string Device, string KeyId, ParticipantId By, DateTimeOffset At) : IDeviceEvent;

/// <summary>A new key; readings signed by the old one are refused from now on, and the new one needs a confirmation of its own.</summary>
[StoredEvent("device-key-rotated")]
public sealed record DeviceKeyRotated(string Device, string PublicKeySpki, string KeyId, string Reason, ParticipantId By, DateTimeOffset At) : IDeviceEvent;

[StoredEvent("device-suspended")]
public sealed record DeviceSuspended(string Device, string Reason, ParticipantId By, DateTimeOffset At) : IDeviceEvent;

[StoredEvent("device-reinstated")]
public sealed record DeviceReinstated(string Device, ParticipantId By, DateTimeOffset At) : IDeviceEvent;

/// <summary>For good: no reading is accepted afterwards and the id is never reused.</summary>
[StoredEvent("device-decommissioned")]
public sealed record DeviceDecommissioned(string Device, string Reason, ParticipantId By, DateTimeOffset At) : IDeviceEvent;

/// <summary>
/// One accepted reading, as the registry logged readings before it logged them a delivery at a time
/// (<see cref="DeviceReadingsRecorded"/>): still read, replayed and verified, never written any more. The signed message itself (COSE_Sign1, base64) so anyone can check it against the device's key
/// later, and what the registry read from it. <see cref="By"/> is who delivered it; the device signed it.
/// </summary>
[StoredEvent("device-reading-recorded")]
public sealed record DeviceReadingRecorded(string Device, long Counter, DateTimeOffset MeasuredAt, AssetId? Asset, Measurements Measurements,
    string KeyId, string Message, ParticipantId By, DateTimeOffset At) : IDeviceEvent;

/// <summary>
/// The readings one device message (an MQTT message, or the readings the registry took from the broker for a device at
/// once) or one HTTP batch delivered and the registry accepted, in the order sent: one event, so a reading costs the log a
/// few hundred bytes instead of an event of its own. <paramref name="Root"/> is the RFC 9162 Merkle root (hex) over the
/// readings' signed messages (each leaf the COSE_Sign1 bytes, hashed as the log hashes leaves), so one reading is proved
/// by its path to that root and the event's inclusion proof, without showing the others. Sealed by the Ledger
/// (<c>ReadingBatches</c>); readings refused in the same delivery are counted, not logged.
/// </summary>
[StoredEvent("device-readings-recorded")]
public sealed record DeviceReadingsRecorded(string Device, IReadOnlyList<RecordedReading> Readings, string Root, ParticipantId By, DateTimeOffset At) : IDeviceEvent
{
    public bool Equals(DeviceReadingsRecorded? other) =>
        other is not null && Device == other.Device && Readings.SequenceEqual(other.Readings) && Root == other.Root && By == other.By && At == other.At;

    public override int GetHashCode() => HashCode.Combine(Device, Readings.Count, Root, By, At);
}

/// <summary>One accepted reading in a <see cref="DeviceReadingsRecorded"/>: what the registry read from its signed message, and the message.</summary>
public sealed record RecordedReading(long Counter, DateTimeOffset MeasuredAt, AssetId? Asset, Measurements Measurements, string KeyId, string Message);

public static class DeviceEventTypes
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(DeviceRegistered), typeof(DeviceBound), typeof(DeviceUnbound), typeof(DeviceConfirmed), typeof(DeviceKeyRotated),
        typeof(DeviceSuspended), typeof(DeviceReinstated), typeof(DeviceDecommissioned), typeof(DeviceReadingRecorded),
        typeof(DeviceReadingsRecorded),
    ];
}
