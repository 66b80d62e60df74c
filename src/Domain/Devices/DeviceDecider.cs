using AssetLedger.Domain.Common;
using Decision = AssetLedger.Domain.Common.Decision<AssetLedger.Domain.Devices.IDeviceEvent>;

namespace AssetLedger.Domain.Devices;

/// <summary>
/// Devices (物联网设备) as pure decisions: a warehouse registers and binds the devices it hosts; a second party confirms
/// each key before its readings count; keys rotate, devices are suspended and decommissioned; readings whose signatures
/// the Ledger verified are accepted one by one, each above the last counter, inside the time window, about a watched asset.
/// </summary>
public static class DeviceDecider
{
    public static string StreamOf(string device) => $"device-{device}";

    public static Decision Decide(DeviceState s, IDeviceCommand command)
    {
        var c = command;
        if (c is RegisterDevice register) return Register(s, register);
        if (!s.Exists) return DeviceErrors.NotFound(c.Device);
        switch (c)
        {
            case BindDevice b:
                if (c.Actor.Id != s.Host) return DeviceErrors.NotHost(s.Id);
                if (s.Status != DeviceStatus.Registered) return DeviceErrors.Inactive(s);
                if (s.Watches(b.Asset)) return DeviceErrors.AlreadyBound(b.Asset);
                if (b.AssetHolder != s.Host) return DeviceErrors.AssetNotHeld(b.Asset);
                if (s.Watched.Count >= DeviceLimits.AssetsPerDevice) return DeviceErrors.TooManyAssets;
                return Decision.Of(new DeviceBound(s.Id, b.Asset, c.Actor.Id, c.At));
            case UnbindDevice u:
                if (c.Actor.Id != s.Host) return DeviceErrors.NotHost(s.Id);
                if (!s.Watches(u.Asset)) return DeviceErrors.NotBound(u.Asset);
                return Decision.Of(new DeviceUnbound(s.Id, u.Asset, c.Actor.Id, c.At));
            case ConfirmDevice confirm:
                if (s.Status == DeviceStatus.Decommissioned) return DeviceErrors.Inactive(s);
                // Separation of duties: the party that gains from a device's silence or lies never vouches for it.
                if (c.Actor.Id == s.Host || !(c.Actor.Has(Role.Regulator) || confirm.VenuesOfWatchedAssets.Contains(c.Actor.Id))) return DeviceErrors.CannotConfirm;
                if (s.IsConfirmed) return DeviceErrors.AlreadyConfirmed;
                return Decision.Of(new DeviceConfirmed(s.Id, s.KeyId, c.Actor.Id, c.At));
            case RotateDeviceKey k:
                if (c.Actor.Id != s.Host) return DeviceErrors.NotHost(s.Id);
                if (s.Status == DeviceStatus.Decommissioned) return DeviceErrors.Inactive(s);
                if ((KeyError(k.PublicKeySpki, k.KeyId) ?? ReasonError(k.Reason)) is { } bad) return bad;
                if (k.KeyId == s.KeyId) return DeviceErrors.SameKey;
                if (s.RetiredKeys.Contains(k.KeyId)) return DeviceErrors.KeyUsedBefore;
                return Decision.Of(new DeviceKeyRotated(s.Id, k.PublicKeySpki, k.KeyId, k.Reason, c.Actor.Id, c.At));
            case SuspendDevice su:
                if (!MayStop(s, c.Actor)) return DeviceErrors.MayNotSuspend;
                if (s.Status != DeviceStatus.Registered) return DeviceErrors.Inactive(s);
                if (ReasonError(su.Reason) is { } badReason) return badReason;
                return Decision.Of(new DeviceSuspended(s.Id, su.Reason, c.Actor.Id, c.At));
            case ReinstateDevice:
                if (!MayStop(s, c.Actor)) return DeviceErrors.MayNotSuspend;
                if (s.Status != DeviceStatus.Suspended) return DeviceErrors.NotSuspended;
                // A regulator's suspension is not lifted by the warehouse it was meant to stop.
                if (s.SuspendedBy is { } by && by != c.Actor.Id && !c.Actor.Has(Role.Operator)) return DeviceErrors.NotYours(by);
                return Decision.Of(new DeviceReinstated(s.Id, c.Actor.Id, c.At));
            case DecommissionDevice d:
                if (!MayStop(s, c.Actor)) return DeviceErrors.MayNotSuspend;
                if (s.Status == DeviceStatus.Decommissioned) return DeviceErrors.Inactive(s);
                if (ReasonError(d.Reason) is { } badWhy) return badWhy;
                return Decision.Of(new DeviceDecommissioned(s.Id, d.Reason, c.Actor.Id, c.At));
            case RecordReadings:
                throw new ArgumentException("Readings are decided one by one: call DeviceDecider.Readings.", nameof(command));
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "No decision for this command.");
        }
    }

    static Decision Register(DeviceState s, RegisterDevice r)
    {
        if (!r.Actor.Has(Role.Warehouse)) return DeviceErrors.NotWarehouse;
        if (!DeviceLimits.IsWellFormedId(r.Device)) return DeviceErrors.Invalid("id", $"A device id is 1–{DeviceLimits.IdMaxLength} lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
        if (s.Exists) return DeviceErrors.Exists(r.Device);
        if (!Enum.IsDefined(r.Kind)) return DeviceErrors.Invalid("kind", "Unknown device kind.");
        if ((TextError("site", r.Site) ?? TextError("make", r.Make) ?? KeyError(r.PublicKeySpki, r.KeyId)) is { } bad) return bad;
        return Decision.Of(new DeviceRegistered(r.Device, r.Kind, r.Site, r.Make, r.PublicKeySpki, r.KeyId, r.Actor.Id, r.At));
    }

    /// <summary>
    /// Each reading accepted or refused (its index and why), in the order sent; a refused reading changes nothing, so the
    /// next is judged against the last accepted counter. The accepted ones are one event, whose Merkle root the Ledger
    /// seals (<c>ReadingBatches.Decide</c>); none accepted, no event.
    /// </summary>
    public static ReadingsDecision Readings(DeviceState s, RecordReadings c)
    {
        var accepted = new List<RecordedReading>();
        var refused = new List<(int Index, DomainError Error)>();
        if (!s.Exists) return new([], [.. c.Readings.Select((_, i) => (i, DeviceErrors.NotFound(c.Device)))]);
        var last = s.LastCounter;
        for (var i = 0; i < c.Readings.Count; i++)
        {
            var r = c.Readings[i];
            var (asset, error) = Judge(s, r, last, c);
            if (error is not null) { refused.Add((i, error)); continue; }
            accepted.Add(new RecordedReading(r.Counter, r.MeasuredAt, asset, r.Measurements, r.KeyId, r.Message));
            last = r.Counter;
        }
        return new(accepted.Count == 0 ? [] : [new DeviceReadingsRecorded(s.Id, accepted, "", c.Actor.Id, c.At)], refused);
    }

    static (AssetId? Asset, DomainError? Error) Judge(DeviceState s, Reading r, long last, RecordReadings c)
    {
        if (r.Device != s.Id) return (null, DeviceErrors.WrongDevice(r.Device));
        if (s.Status != DeviceStatus.Registered) return (null, DeviceErrors.DeviceInactive(s));
        if (s.RetiredKeys.Contains(r.KeyId)) return (null, DeviceErrors.RevokedKey(r.KeyId));
        if (r.KeyId != s.KeyId) return (null, DeviceErrors.UnknownKey(r.KeyId));
        if (!s.IsConfirmed) return (null, DeviceErrors.Unconfirmed);
        if (r.Counter <= last) return (null, DeviceErrors.Replayed(r.Counter, last));
        if (r.MeasuredAt < c.At - DeviceLimits.MaxAge || r.MeasuredAt > c.At + DeviceLimits.MaxAhead) return (null, DeviceErrors.OutsideWindow(r.MeasuredAt));
        if (r.Measurements.IsEmpty) return (null, DeviceErrors.Empty);
        if (r.Asset is null) return (null, null);
        AssetId? asset = AssetId.TryParse(r.Asset, out var id) ? id : c.AssetsByKey.TryGetValue(r.Asset, out var byKey) ? byKey : null;
        return asset is { } a && s.Watches(a) ? (a, null) : (null, DeviceErrors.NotWatched(r.Asset));
    }

    static bool MayStop(DeviceState s, Actor a) => a.Id == s.Host || a.Has(Role.Regulator) || a.Has(Role.Operator);

    static DomainError? TextError(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? DeviceErrors.Invalid(field, $"{field} is required.")
        : value.Length > DeviceLimits.Text ? DeviceErrors.Invalid(field, $"{field} is at most {DeviceLimits.Text} characters.")
        : TextRules.IsAcceptable(value) ? null : TextRules.Refusal(field);

    static DomainError? ReasonError(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? DeviceErrors.Invalid("reason", "Say why (reason is required).")
        : reason.Length > DeviceLimits.Reason ? DeviceErrors.Invalid("reason", $"reason is at most {DeviceLimits.Reason} characters.")
        : TextRules.IsAcceptable(reason) ? null : TextRules.Refusal("reason");

    static DomainError? KeyError(string? spki, string? keyId) =>
        string.IsNullOrEmpty(spki) || spki.Length > DeviceLimits.KeyMaxLength ? DeviceErrors.Invalid("publicKey", "publicKey is the device's ECDSA P-256 public key (SubjectPublicKeyInfo, base64).")
        : keyId is not { Length: 64 } || !keyId.All(char.IsAsciiHexDigitLower) ? DeviceErrors.Invalid("publicKey", "The key's id must be its SHA-256 in lower-case hex.")
        : null;
}

/// <param name="Events">None, or one <see cref="DeviceReadingsRecorded"/> with every accepted reading, in the order sent.</param>
/// <param name="Refused">Each refused reading's index in the request and why.</param>
public sealed record ReadingsDecision(IReadOnlyList<IDeviceEvent> Events, IReadOnlyList<(int Index, DomainError Error)> Refused)
{
    /// <summary>The accepted readings (those of the one event), in the order sent.</summary>
    public IReadOnlyList<RecordedReading> Accepted => Events is [DeviceReadingsRecorded b] ? b.Readings : [];
}
