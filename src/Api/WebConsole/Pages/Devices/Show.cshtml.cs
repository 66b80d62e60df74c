using AssetLedger.Application.Devices;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages.Devices;

/// <summary>
/// One device as GET /api/v1/devices/{id} shows it to its stakeholders (folded from its stream, never behind): key,
/// confirmation, watched assets, counter, refused readings by reason; and a form for each device command the decider
/// would take from the viewer now (<see cref="DeviceActions"/>), each sent as the API sends it.
/// </summary>
public sealed class ShowModel(DeviceReader reader, IEventStore store, IReadingRefusals refusals, ConsoleCommands commands) : ConsolePage
{
    public DeviceState Device { get; private set; } = DeviceState.Initial;
    public IReadOnlyDictionary<string, long> RefusedReadings { get; private set; } = new Dictionary<string, long>();
    public IReadOnlyList<DeviceAction> Actions { get; private set; } = [];
    public bool May(DeviceAction a) => Actions.Contains(a);

    public async Task<IActionResult> OnGet(string id, CancellationToken ct) => await Load(id, ct) ? Page() : NotFound();

    async Task<bool> Load(string id, CancellationToken ct)
    {
        if (await reader.Visible(id, Viewer, ct) is not { } device) return false;
        Device = device;
        RefusedReadings = await refusals.Of(id, ct);
        Actions = DeviceActions.Allowed(Viewer, device, await DeviceActions.VenuesOfWatched(store, device, ct), commands.Now);
        return true;
    }

    public Task<IActionResult> OnPostBind(string id, string? assetId, CancellationToken ct) =>
        Run(id, "done.bind", (actor, now) => AssetId.TryParse(assetId, out var a)
            ? new BindDevice(id, a, null, actor, now)
            : Problems.RequestErrors.Invalid("assetId", "assetId is required: the 32-hex id of a receipt your warehouse holds."), ct);

    public Task<IActionResult> OnPostUnbind(string id, string? assetId, CancellationToken ct) =>
        Run(id, "done.unbind", (actor, now) => AssetId.TryParse(assetId, out var a)
            ? new UnbindDevice(id, a, actor, now)
            : Problems.RequestErrors.Invalid("assetId", "assetId is required: the 32-hex id of an asset the device watches."), ct);

    public Task<IActionResult> OnPostConfirm(string id, CancellationToken ct) =>
        Run(id, "done.confirmdevice", (actor, now) => new ConfirmDevice(id, new HashSet<ParticipantId>(), actor, now), ct);

    public Task<IActionResult> OnPostRotate(string id, string? publicKey, string? reason, CancellationToken ct) =>
        Run(id, "done.rotatekey", (actor, now) => new RotateDeviceKey(id, publicKey ?? "", SignedReadings.KeyIdOf(publicKey) ?? "", reason ?? "", actor, now), ct);

    public Task<IActionResult> OnPostSuspend(string id, string? reason, CancellationToken ct) =>
        Run(id, "done.suspenddevice", (actor, now) => new SuspendDevice(id, reason ?? "", actor, now), ct);

    public Task<IActionResult> OnPostReinstate(string id, CancellationToken ct) =>
        Run(id, "done.reinstatedevice", (actor, now) => new ReinstateDevice(id, actor, now), ct);

    public Task<IActionResult> OnPostDecommission(string id, string? reason, CancellationToken ct) =>
        Run(id, "done.decommission", (actor, now) => new DecommissionDevice(id, reason ?? "", actor, now), ct);

    async Task<IActionResult> Run(string id, string done, Func<Actor, DateTimeOffset, Result<IDeviceCommand>> build, CancellationToken ct)
    {
        // A device the viewer may not see does not exist for it, whatever the form says (as over the API).
        if (await reader.Visible(id, Viewer, ct) is null) return NotFound();
        var command = build(commands.Actor, commands.Now);
        var error = command.Error ?? (await commands.Device(command.Value!, ct)).Error;
        if (error is null) return Done($"/console/devices/{id}", T[done]);
        if (!await Load(id, ct)) return NotFound();
        return Refused(error);
    }
}
