using AssetLedger.Api.Contracts;
using AssetLedger.Application.Devices;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;
using AssetLedger.Projections;
using AssetLedger.Projections.Devices;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages.Devices;

/// <summary>
/// The devices I may see (GET /api/v1/devices: my warehouse's, those I vouched for, those watching what I hold; a
/// regulator or the operator: all), and for a warehouse the form that registers one (POST /api/v1/devices).
/// </summary>
public sealed class IndexModel(DeviceQueries devices, ConsoleCommands commands) : ConsolePage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    public DevicePage Found { get; private set; } = new([], null);
    public static IReadOnlyList<DeviceKind> Kinds { get; } = Enum.GetValues<DeviceKind>();
    public static IReadOnlyList<DeviceStatus> Statuses { get; } = [DeviceStatus.Registered, DeviceStatus.Suspended, DeviceStatus.Decommissioned];

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        DeviceStatus? status = null;
        if (Status is { Length: > 0 })
        {
            var parsed = RequestMapping.ParseEnum<DeviceStatus>(Status, "status");
            if (parsed.Error is { } bad) return Refused(bad);
            status = parsed.Value;
        }
        try { Found = await devices.List(Viewer, null, status, null, Cursor is { Length: > 0 } ? Cursor : null, PageSize, ct); }
        catch (InvalidCursorException) { return Refused(Problems.RequestErrors.InvalidCursor("cursor is not one this list handed out; start again without a cursor.")); }
        return Page();
    }

    public async Task<IActionResult> OnPostRegister(string? id, string? kind, string? site, string? make, string? publicKey, CancellationToken ct)
    {
        var parsed = RequestMapping.ParseEnum<DeviceKind>(kind, "kind");
        DomainError? error = parsed.Error;
        if (error is null)
        {
            var command = new RegisterDevice(id ?? "", parsed.Value, site ?? "", make ?? "", publicKey ?? "", SignedReadings.KeyIdOf(publicKey) ?? "", commands.Actor, commands.Now);
            error = (await commands.Device(command, ct)).Error;
        }
        if (error is null) return Done($"/console/devices/{id}", T["done.registerdevice"]);
        await OnGet(ct);
        return Refused(error);
    }

    public string NextPage => $"/console/devices?status={Uri.EscapeDataString(Status ?? "")}&cursor={Uri.EscapeDataString(Found.NextCursor ?? "")}";
}
