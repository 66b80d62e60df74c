using AssetLedger.Api.Endpoints;
using AssetLedger.Projections.Registrations;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages;

/// <summary>
/// The registrations search (动产和权利担保登记 查询) for every participant: registrations in force and pledges by the
/// debtor's name, its unified social credit code, or an asset's key; GET /api/v1/registrations's criteria and query.
/// The signed search certificate is the API's download (GET /api/v1/registrations/certificate).
/// </summary>
public sealed class RegistrationsModel(RegistrationQueries queries) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string? DebtorName { get; set; }
    [BindProperty(SupportsGet = true)] public string? CreditCode { get; set; }
    [BindProperty(SupportsGet = true)] public string? AssetKey { get; set; }
    public EncumbranceSearch? Found { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        static string? V(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        if (V(DebtorName) is null && V(CreditCode) is null && V(AssetKey) is null) return Page();
        var criteria = RegistrationEndpoints.Criteria(V(DebtorName), V(CreditCode), V(AssetKey));
        if (criteria.Error is { } invalid) return Refused(invalid);
        Found = await queries.Search(criteria.Value!, ct);
        return Page();
    }

    /// <summary>The same search as a signed certificate (the API's download under the cookie; its first page of proofs).</summary>
    public string CertificateUrl => "/console/registrations/certificate?" + string.Join("&",
        new[] { ("debtorName", DebtorName), ("creditCode", CreditCode), ("assetKey", AssetKey) }
            .Where(p => !string.IsNullOrWhiteSpace(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!.Trim())}"));
}
