using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Devices;

public interface IDeviceCommand
{
    string Device { get; }
    Actor Actor { get; }
    DateTimeOffset At { get; }
}

/// <param name="KeyId">The key's SHA-256 (hex), computed by whoever read the key (the Domain does not parse keys).</param>
public sealed record RegisterDevice(string Device, DeviceKind Kind, string Site, string Make, string PublicKeySpki, string KeyId, Actor Actor, DateTimeOffset At) : IDeviceCommand;

/// <param name="AssetHolder">The asset's custodian warehouse as the registry knows it (null: no such asset).</param>
public sealed record BindDevice(string Device, AssetId Asset, ParticipantId? AssetHolder, Actor Actor, DateTimeOffset At) : IDeviceCommand;

public sealed record UnbindDevice(string Device, AssetId Asset, Actor Actor, DateTimeOffset At) : IDeviceCommand;

/// <param name="VenuesOfWatchedAssets">The venues that hold a watched asset out for financing or trading now.</param>
public sealed record ConfirmDevice(string Device, IReadOnlySet<ParticipantId> VenuesOfWatchedAssets, Actor Actor, DateTimeOffset At) : IDeviceCommand;

public sealed record RotateDeviceKey(string Device, string PublicKeySpki, string KeyId, string Reason, Actor Actor, DateTimeOffset At) : IDeviceCommand;

public sealed record SuspendDevice(string Device, string Reason, Actor Actor, DateTimeOffset At) : IDeviceCommand;

public sealed record ReinstateDevice(string Device, Actor Actor, DateTimeOffset At) : IDeviceCommand;

public sealed record DecommissionDevice(string Device, string Reason, Actor Actor, DateTimeOffset At) : IDeviceCommand;

/// <summary>Readings whose signatures the Ledger has verified under the device's current key, in the order they came.</summary>
/// <param name="AssetsByKey">Watched assets named by natural key instead of id, resolved by the caller.</param>
public sealed record RecordReadings(string Device, IReadOnlyList<Reading> Readings, IReadOnlyDictionary<string, AssetId> AssetsByKey, Actor Actor, DateTimeOffset At) : IDeviceCommand;
