using System.Security.Cryptography;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;

namespace AssetLedger.Application.Devices;

public enum DeviceAction { Bind, Unbind, Confirm, RotateKey, Suspend, Reinstate, Decommission }

/// <summary>
/// Which device commands the rules allow this actor now, asked of the decider itself with stand-in values that pass
/// every input check (as <see cref="AssetActions"/> does for assets), so a console never offers what would be refused.
/// </summary>
public static class DeviceActions
{
    const string Words = "probe";
    // A well-formed key nobody holds: rotation is judged on who asks and the device's state, not on this key.
    static readonly (string Spki, string KeyId) ProbeKey = NewKey();

    public static IReadOnlyList<DeviceAction> Allowed(Actor actor, DeviceState s, IReadOnlySet<ParticipantId> venuesOfWatched, DateTimeOffset now)
    {
        if (!s.Exists) return [];
        var allowed = new List<DeviceAction>();
        void Probe(DeviceAction action, IDeviceCommand command)
        {
            if (DeviceDecider.Decide(s, command).IsOk) allowed.Add(action);
        }
        // Binding is offered for goods the host holds; which goods is the form's question, checked when sent.
        Probe(DeviceAction.Bind, new BindDevice(s.Id, new AssetId(Guid.CreateVersion7()), s.Host, actor, now));
        if (s.Watched.Count > 0) Probe(DeviceAction.Unbind, new UnbindDevice(s.Id, new AssetId(s.Watched.First()), actor, now));
        Probe(DeviceAction.Confirm, new ConfirmDevice(s.Id, venuesOfWatched, actor, now));
        Probe(DeviceAction.RotateKey, new RotateDeviceKey(s.Id, ProbeKey.Spki, ProbeKey.KeyId, Words, actor, now));
        Probe(DeviceAction.Suspend, new SuspendDevice(s.Id, Words, actor, now));
        Probe(DeviceAction.Reinstate, new ReinstateDevice(s.Id, actor, now));
        Probe(DeviceAction.Decommission, new DecommissionDevice(s.Id, Words, actor, now));
        return allowed;
    }

    /// <summary>The venues holding the device's watched assets now: the parties besides a regulator who may vouch for its key.</summary>
    public static async Task<IReadOnlySet<ParticipantId>> VenuesOfWatched(IEventStore store, DeviceState device, CancellationToken ct)
    {
        var venues = new HashSet<ParticipantId>();
        foreach (var id in device.Watched)
            if ((await AssetStreams.Load(store, new AssetId(id), ct)).Custody is { } custody) venues.Add(custody.Venue);
        return venues;
    }

    static (string, string) NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        return (spki, SignedReadings.KeyIdOf(spki)!);
    }
}
