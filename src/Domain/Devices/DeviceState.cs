using System.Collections.Immutable;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Devices;

/// <summary>A device's current state, folded from its events.</summary>
public sealed record DeviceState
{
    public static readonly DeviceState Initial = new();

    public string Id { get; init; } = "";
    public long Version { get; init; }
    public DeviceStatus Status { get; init; }
    public DeviceKind Kind { get; init; }
    public string Site { get; init; } = "";
    public string Make { get; init; } = "";
    /// <summary>The warehouse that registered the device and hosts it.</summary>
    public ParticipantId Host { get; init; }
    public string KeyId { get; init; } = "";
    public string PublicKeySpki { get; init; } = "";
    /// <summary>Who vouched for the current key (null: nobody yet, so its readings are refused).</summary>
    public ParticipantId? ConfirmedBy { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    /// <summary>Keys rotated away: a reading signed by one is refused as revoked, not as unknown.</summary>
    public ImmutableSortedSet<string> RetiredKeys { get; init; } = ImmutableSortedSet<string>.Empty;
    public ImmutableSortedSet<Guid> Watched { get; init; } = ImmutableSortedSet<Guid>.Empty;
    public ParticipantId? SuspendedBy { get; init; }
    /// <summary>The highest counter accepted so far (0: none); a reading's counter must be above it.</summary>
    public long LastCounter { get; init; }
    public DateTimeOffset? LastReadingAt { get; init; }
    public long Readings { get; init; }

    public bool Exists => Status != DeviceStatus.None;
    public bool IsConfirmed => ConfirmedBy is not null;
    public bool Watches(AssetId asset) => Watched.Contains(asset.Value);

    public bool Equals(DeviceState? other) =>
        other is not null && Id == other.Id && Version == other.Version && Status == other.Status && Kind == other.Kind && Site == other.Site &&
        Make == other.Make && Host == other.Host && KeyId == other.KeyId && PublicKeySpki == other.PublicKeySpki && ConfirmedBy == other.ConfirmedBy && ConfirmedAt == other.ConfirmedAt &&
        RetiredKeys.SequenceEqual(other.RetiredKeys) && Watched.SequenceEqual(other.Watched) && SuspendedBy == other.SuspendedBy &&
        LastCounter == other.LastCounter && LastReadingAt == other.LastReadingAt && Readings == other.Readings;

    public override int GetHashCode() => HashCode.Combine(Id, Version, Status, KeyId, LastCounter);

    public static DeviceState Evolve(DeviceState s, IDeviceEvent e) => (e switch
    {
        DeviceRegistered r => s with
        {
            Id = r.Device, Status = DeviceStatus.Registered, Kind = r.Kind, Site = r.Site, Make = r.Make, Host = r.By,
            KeyId = r.KeyId, PublicKeySpki = r.PublicKeySpki,
        },
        DeviceBound b => s with { Watched = s.Watched.Add(b.Asset.Value) },
        DeviceUnbound u => s with { Watched = s.Watched.Remove(u.Asset.Value) },
        DeviceConfirmed c => s with { ConfirmedBy = c.By, ConfirmedAt = c.At },
        DeviceKeyRotated k => s with { RetiredKeys = s.RetiredKeys.Add(s.KeyId), KeyId = k.KeyId, PublicKeySpki = k.PublicKeySpki, ConfirmedBy = null, ConfirmedAt = null },
        DeviceSuspended su => s with { Status = DeviceStatus.Suspended, SuspendedBy = su.By },
        DeviceReinstated => s with { Status = DeviceStatus.Registered, SuspendedBy = null },
        DeviceDecommissioned => s with { Status = DeviceStatus.Decommissioned },
        DeviceReadingRecorded r => s with { LastCounter = r.Counter, LastReadingAt = r.At, Readings = s.Readings + 1 },
        DeviceReadingsRecorded b => s with { LastCounter = b.Readings.Count == 0 ? s.LastCounter : b.Readings[^1].Counter, LastReadingAt = b.At, Readings = s.Readings + b.Readings.Count },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "No fold for this event."),
    }) with { Version = s.Version + 1 };
}
