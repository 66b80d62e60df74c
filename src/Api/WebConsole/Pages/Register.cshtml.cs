using AssetLedger.Api.Contracts;
using AssetLedger.Api.Endpoints;
using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>
/// Register a warehouse receipt: the API's own request and mapping (<see cref="AssetCommandEndpoints.Registration"/>),
/// so the form gives the same validation messages as POST /api/v1/assets, and the same command service writes it.
/// </summary>
public sealed class RegisterModel(ConsoleCommands commands) : ConsolePage
{
    [BindProperty] public string? OwnerId { get; set; }
    [BindProperty] public string? WarehouseId { get; set; }
    [BindProperty] public string? ReceiptNumber { get; set; }
    [BindProperty] public string? Commodity { get; set; }
    [BindProperty] public string? Quantity { get; set; }
    [BindProperty] public string? Unit { get; set; }
    [BindProperty] public string? Description { get; set; }
    public string? Field { get; private set; }

    public void OnGet()
    {
        OwnerId ??= Viewer.Id.Value;
        if (Is(Role.Warehouse)) WarehouseId ??= Viewer.Id.Value;
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        var request = new RegisterAssetRequest("WarehouseReceipt", OwnerId, WarehouseId, ReceiptNumber, Commodity, Quantity, Unit, Description: string.IsNullOrWhiteSpace(Description) ? null : Description);
        var id = AssetId.New();
        var outcome = await commands.Asset((actor, now) => AssetCommandEndpoints.Registration(request, id, actor, now), ct);
        if (outcome.Error is { } e)
        {
            Field = e.Field;
            return Refused(e);
        }
        return Done($"/console/assets/{id}", T["done.register"]);
    }
}
