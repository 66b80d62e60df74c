using AssetLedger.Api.Audit;
using AssetLedger.Api.Endpoints;

namespace AssetLedger.Api.WebConsole;

public static class ConsoleEndpoints
{
    /// <summary>
    /// The console's pages, and its evidence downloads (an asset's, a log range's for the regulator, and a registrations search's certificate): the API's own exports (<see cref="EvidenceEndpoints"/>: the same
    /// visibility rule, the same bundle, the same access audit) under /console, so that the cookie signs it in. Not in
    /// the OpenAPI document, which describes the API.
    /// </summary>
    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet(ConsoleSetup.Prefix + "/assets/{id}/bundle", EvidenceEndpoints.ExportAsset)
            .RequireAuthorization().AddEndpointFilter<AccessAuditFilter>().ExcludeFromDescription();
        app.MapGet(ConsoleSetup.Prefix + "/regulator/ledger-export", EvidenceEndpoints.ExportLedger)
            .RequireAuthorization(p => p.RequireRole("Regulator", "Operator")).AddEndpointFilter<AccessAuditFilter>().ExcludeFromDescription();
        app.MapGet(ConsoleSetup.Prefix + "/registrations/certificate", RegistrationCertificates.Certificate)
            .RequireAuthorization().AddEndpointFilter<AccessAuditFilter>().ExcludeFromDescription();
        return app;
    }
}
