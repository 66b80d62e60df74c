using AssetLedger.Api.Contracts;
using AssetLedger.Api.Endpoints;
using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>
/// Register an asset of any kind (a form per kind: a warehouse receipt, a receivable or bill, an intangible asset): the API's own request and mapping (<see cref="AssetCommandEndpoints.Registration"/>),
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
    [BindProperty] public string? DebtorId { get; set; }
    [BindProperty] public string? BillNumber { get; set; }
    [BindProperty] public string? Amount { get; set; }
    [BindProperty] public string? Currency { get; set; }
    [BindProperty] public string? DueDate { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? ContentSha256 { get; set; }
    [BindProperty] public string? MediaType { get; set; }
    /// <summary>Which form: WarehouseReceipt (the default), Receivable or Intangible; an unknown kind is the API's refusal.</summary>
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    public string Form => string.IsNullOrEmpty(Kind) ? "WarehouseReceipt" : Kind;
    public string? Field { get; private set; }

    public void OnGet()
    {
        OwnerId ??= Viewer.Id.Value;
        if (Is(Role.Warehouse)) WarehouseId ??= Viewer.Id.Value;
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        static string? V(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
        // Only the chosen kind's fields are sent, as a client of the API sends them.
        var request = Form switch
        {
            "Receivable" => new RegisterAssetRequest(Form, OwnerId, DebtorId: V(DebtorId), BillNumber: V(BillNumber), Amount: V(Amount), Currency: V(Currency), DueDate: V(DueDate), Description: V(Description)),
            "Intangible" => new RegisterAssetRequest(Form, OwnerId, Title: V(Title), ContentSha256: V(ContentSha256), MediaType: V(MediaType), Description: V(Description)),
            _ => new RegisterAssetRequest(Form, OwnerId, WarehouseId, ReceiptNumber, Commodity, Quantity, Unit, Description: V(Description)),
        };
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
