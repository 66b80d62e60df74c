using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using Mediator;

namespace AssetLedger.Application.Devices;

public sealed record ExecuteDeviceCommand(IDeviceCommand Command, CommandContext Context) : ICommand<CommandOutcome<DeviceState>>;

/// <summary>
/// Load the device, decide, append with the expected version. What the pure decider cannot look up itself is read
/// first: who holds the goods a device is to watch, and which venues hold its watched assets now.
/// </summary>
public sealed class DeviceCommandHandler(IEventStore store, DeviceStates states) : ICommandHandler<ExecuteDeviceCommand, CommandOutcome<DeviceState>>
{
    readonly CommandService<ExecuteDeviceCommand, DeviceState, IDeviceEvent> _commands = new(store, new()
    {
        Stream = r => DeviceDecider.StreamOf(r.Command.Device),
        Load = (r, ct) => states.Load(r.Command.Device, ct),
        Decide = (s, r) => DeviceDecider.Decide(s, r.Command),
        Evolve = DeviceState.Evolve,
        Version = s => s.Version,
        Origin = r => (r.Command.Actor, r.Context),
        Prepare = (r, ct) => Complete(store, states, r, ct),
        Conflict = new DomainError("device.concurrency_conflict", "The device kept changing; read it again and retry.", ErrorKind.Conflict),
    });

    public async ValueTask<CommandOutcome<DeviceState>> Handle(ExecuteDeviceCommand request, CancellationToken ct)
    {
        var outcome = await _commands.Run(request, ct);
        if (outcome.State is { } state) states.Remember(state);
        return outcome;
    }

    static async Task<Result<ExecuteDeviceCommand>> Complete(IEventStore store, DeviceStates states, ExecuteDeviceCommand r, CancellationToken ct)
    {
        switch (r.Command)
        {
            case BindDevice bind:
                var asset = await AssetStreams.Load(store, bind.Asset, ct);
                // Only goods a warehouse holds are watched: a live receipt names its custodian.
                var holder = asset.Exists && !asset.IsClosed && asset.Kind == AssetKind.WarehouseReceipt ? asset.Details.Warehouse : null;
                return r with { Command = bind with { AssetHolder = holder } };
            case ConfirmDevice confirm:
                var venues = await DeviceActions.VenuesOfWatched(store, await states.Load(confirm.Device, ct), ct);
                return r with { Command = confirm with { VenuesOfWatchedAssets = venues } };
            default:
                return r;
        }
    }
}
