using AssetLedger.Application.Assets;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;

namespace AssetLedger.Application.Devices;

/// <summary>
/// A device as its stakeholders see it: its host, whoever confirmed it, a venue holding one of its watched assets, a
/// regulator, the operator. To anyone else it does not exist (its watched assets are not theirs to learn of).
/// </summary>
public sealed class DeviceReader(IEventStore store, DeviceStates states)
{
    public async Task<DeviceState?> Visible(string device, Actor actor, CancellationToken ct)
    {
        if (!DeviceLimits.IsWellFormedId(device)) return null;
        var s = await states.Load(device, ct);
        if (!s.Exists) return null;
        if (actor.Id == s.Host || actor.Id == s.ConfirmedBy || actor.Has(Role.Regulator) || actor.Has(Role.Operator)) return s;
        foreach (var id in s.Watched)
            if ((await AssetStreams.Load(store, new AssetId(id), ct)).Custody?.Venue == actor.Id) return s;
        return null;
    }

    /// <summary>
    /// The device as whoever delivers its readings sees it (null: no such device for them) and whether they may deliver
    /// them. A device's host is set when it is registered and never changes, so the state this instance cached answers for
    /// its host and the operator without a read (the readings themselves are then judged against the stream's version);
    /// anyone else is checked against the stream.
    /// </summary>
    public async Task<(DeviceState? Device, bool MayDeliver)> ForDelivery(string device, Actor actor, CancellationToken ct)
    {
        if (DeviceLimits.IsWellFormedId(device) && states.Cached(device) is { } known && MayDeliver(known, actor)) return (known, true);
        var visible = await Visible(device, actor, ct);
        return (visible, visible is not null && MayDeliver(visible, actor));
    }

    /// <summary>Who may deliver a device's readings: its host (or a platform acting with the host's user) and the operator.</summary>
    public static bool MayDeliver(DeviceState s, Actor actor) => actor.Id == s.Host || actor.Has(Role.Operator);
}
