using AssetLedger.Api.Audit;
using AssetLedger.Api.Endpoints;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Projections.Registry;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>
/// The public encumbrance search (查询) for every participant: one key (a receipt by warehouse and number, a bill by
/// debtor and number, an intangible by its content hash) answered with whether it is registered, its status and every
/// open lock, cut to what the viewer may see; GET /api/v1/registry/encumbrances in a page that prints as the answer,
/// with the search's audit record as its reference.
/// </summary>
public sealed class RegistryModel(RegistryQueries registry, IClock clock) : AuditedPage
{
    [BindProperty(SupportsGet = true)] public string? WarehouseId { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReceiptNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? DebtorId { get; set; }
    [BindProperty(SupportsGet = true)] public string? BillNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? ContentSha256 { get; set; }
    public EncumbranceNotice? Answer { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        static string? V(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var (wh, receipt, debtor, bill, sha) = (V(WarehouseId), V(ReceiptNumber), V(DebtorId), V(BillNumber), V(ContentSha256));
        if (wh is null && receipt is null && debtor is null && bill is null && sha is null) return Page();
        if (AssetLimits.Text is var max && (receipt?.Length > max || bill?.Length > max))
            return Refused(Problems.RequestErrors.Invalid("receiptNumber", $"A receipt or bill number is at most {max} characters."));
        var key = RegistryEndpoints.KeyOf(null, wh, receipt, debtor, bill, sha);
        if (key.Error is { } invalid) return Refused(invalid);
        var (record, projectedThrough) = await registry.Find(key.Value!, ct);
        AccessAuditFilter.SetResource(HttpContext, record is null ? $"key:{key.Value}" : $"asset:{record.Asset.Id}");
        Answer = Disclosures.Notice(key.Value!, Viewer, record, clock.UtcNow, projectedThrough) with { SearchReference = AccessAuditFilter.IdOf(HttpContext) };
        return Page();
    }
}
