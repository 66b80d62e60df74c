using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Devices;

/// <summary>Why a device command or a reading was refused. Reading codes are also the names its refusals are counted under.</summary>
public static class DeviceErrors
{
    public static DomainError NotFound(string device) => new("device.not_found", $"There is no device '{device}'.", ErrorKind.NotFound);
    public static DomainError Exists(string device) => new("device.exists", $"A device '{device}' is already registered; choose another id.", ErrorKind.Conflict, "id");
    public static DomainError Invalid(string field, string message) => new("device.invalid", message, ErrorKind.Invalid, field);
    public static DomainError NotHost(string device) => new("device.not_host", $"Only the warehouse that hosts '{device}' may do this.", ErrorKind.Forbidden);
    public static DomainError NotWarehouse => new("device.not_warehouse", "Only a warehouse registers devices (it hosts them).", ErrorKind.Forbidden);
    public static DomainError Inactive(DeviceState s) => new("device.inactive", $"Device '{s.Id}' is {s.Status}; reinstate it first (a decommissioned device is gone for good).", ErrorKind.Conflict);
    public static DomainError AssetNotHeld(AssetId asset) => new("device.asset_not_held",
        $"Asset {asset} is not a receipt in the custody of this device's warehouse; a device watches only goods its host holds.", ErrorKind.Conflict, "assetId");
    public static DomainError AlreadyBound(AssetId asset) => new("device.already_bound", $"The device already watches asset {asset}.", ErrorKind.Conflict, "assetId");
    public static DomainError NotBound(AssetId asset) => new("device.not_bound", $"The device does not watch asset {asset}.", ErrorKind.Conflict, "assetId");
    public static DomainError TooManyAssets => new("device.too_many_assets", $"A device watches at most {DeviceLimits.AssetsPerDevice} assets; unbind one first.", ErrorKind.Conflict, "assetId");
    public static DomainError CannotConfirm => new("device.cannot_confirm",
        "A device is confirmed by a regulator, or by the bank or trading center that holds one of its watched assets out; never by its host.", ErrorKind.Forbidden);
    public static DomainError AlreadyConfirmed => new("device.already_confirmed", "The device's current key is already confirmed.", ErrorKind.Conflict);
    public static DomainError SameKey => new("device.same_key", "That is the device's current key; rotate to a new one.", ErrorKind.Conflict, "publicKey");
    public static DomainError KeyUsedBefore => new("device.key_reused", "That key was retired from this device; a retired key never comes back.", ErrorKind.Conflict, "publicKey");
    public static DomainError NotSuspended => new("device.not_suspended", "The device is not suspended.", ErrorKind.Conflict);
    public static DomainError NotYours(ParticipantId by) => new("device.suspended_by_other", $"The device was suspended by {by}; only it (or the operator) reinstates it.", ErrorKind.Forbidden);
    public static DomainError MayNotSuspend => new("device.not_host", "A device is suspended or decommissioned by its host, a regulator or the operator.", ErrorKind.Forbidden);

    public static DomainError Reading(string code, string message) => new($"reading.{code}", message, ErrorKind.Invalid);
    public static DomainError UnknownKey(string keyId) => Reading("unknown_key", $"The reading is signed by key {keyId}, which is not this device's.");
    public static DomainError RevokedKey(string keyId) => Reading("revoked_key", $"The reading is signed by key {keyId}, rotated away from this device.");
    public static DomainError Unconfirmed => Reading("unconfirmed_key", "The device's key has not been confirmed by a second party yet; its readings do not count until it is.");
    public static DomainError DeviceInactive(DeviceState s) => Reading("device_inactive", $"Device '{s.Id}' is {s.Status}; it sends no readings that count.");
    public static DomainError WrongDevice(string named) => Reading("wrong_device", $"The reading names device '{named}', not the one it was sent for.");
    public static DomainError Replayed(long counter, long last) => Reading("replayed", $"Counter {counter} is not above the last accepted counter {last}: a repeat or a reorder.");
    public static DomainError OutsideWindow(DateTimeOffset at) => Reading("outside_window",
        $"The reading's time {at:O} is more than {DeviceLimits.MaxAge.TotalHours:0} h old or more than {DeviceLimits.MaxAhead.TotalMinutes:0} min ahead of the registry's clock.");
    public static DomainError NotWatched(string asset) => Reading("asset_not_watched", $"The device does not watch asset '{asset}'.");
    public static DomainError Empty => Reading("empty", "The reading measures nothing; send at least one measurement or a heartbeat.");
}
