using System.ComponentModel.DataAnnotations;
using AssetLedger.Domain.Devices;

namespace AssetLedger.Api.Contracts;

/// <summary>A device the calling warehouse hosts: kind, site, make and its ECDSA P-256 public key (SubjectPublicKeyInfo, base64).</summary>
public sealed record RegisterDeviceRequest(
    [property: MaxLength(DeviceLimits.IdMaxLength), RegularExpression(DeviceLimits.IdPattern)] string? Id, [property: OneOf(typeof(DeviceKind))] string? Kind,
    [property: MaxLength(DeviceLimits.Text)] string? Site, [property: MaxLength(DeviceLimits.Text)] string? Make, [property: MaxLength(DeviceLimits.KeyMaxLength)] string? PublicKey);

/// <summary>An asset (its 32-hex id) the device is to watch or stop watching.</summary>
public sealed record DeviceBindingRequest([property: MaxLength(32), RegularExpression("^[0-9a-f]{32}$")] string? AssetId);

/// <summary>A reason: why a key is rotated, a device suspended or decommissioned.</summary>
public sealed record DeviceReasonRequest([property: MaxLength(DeviceLimits.Reason)] string? Reason);

public sealed record RotateDeviceKeyRequest([property: MaxLength(DeviceLimits.KeyMaxLength)] string? PublicKey, [property: MaxLength(DeviceLimits.Reason)] string? Reason);

/// <summary>Signed readings, each a COSE_Sign1 message (ES256) in base64, in the order the device made them.</summary>
public sealed record DeviceReadingsRequest([property: MaxLength(DeviceLimits.BatchMax)] IReadOnlyList<string?>? Readings);

public sealed record DeviceView(string Id, string Kind, string Site, string Make, string HostId, string Status, string KeyId, string PublicKey,
    string? ConfirmedBy, IReadOnlyList<string> WatchedAssetIds, long LastCounter, DateTimeOffset? LastReadingAt, long Readings,
    IReadOnlyDictionary<string, long> RefusedReadings, long Version)
{
    public static DeviceView Of(DeviceState s, IReadOnlyDictionary<string, long> refused) => new(s.Id, s.Kind.ToString(), s.Site, s.Make, s.Host.Value,
        s.Status.ToString(), s.KeyId, s.PublicKeySpki, s.ConfirmedBy?.Value, [.. s.Watched.Select(g => g.ToString("N"))], s.LastCounter, s.LastReadingAt,
        s.Readings, refused, s.Version);
}

/// <summary>
/// Per reading: accepted (with its counter, and the log position and hash of the one event that holds the request's
/// accepted readings, and its leaf there) or refused (with the reason's code); the index is its place in the request.
/// A request with refused readings still has the others logged: each reading stands or falls on its own.
/// </summary>
/// <param name="Alarms">Alarms these readings (or refusals) raised on watched assets; a critical one has frozen its asset.</param>
public sealed record DeviceReadingsResult(IReadOnlyList<AcceptedReadingView> Accepted, IReadOnlyList<RefusedReadingView> Refused, IReadOnlyList<RaisedAlarmView> Alarms);

/// <param name="Leaf">The reading's place among the event's readings (from 0): its leaf under the event's Merkle root.</param>
public sealed record AcceptedReadingView(int Index, long Counter, long Position, string Hash, int Leaf);

public sealed record RefusedReadingView(int Index, string Code, string Detail);
