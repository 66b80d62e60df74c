using System.Diagnostics;
using AssetLedger.Api.Audit;
using AssetLedger.Application.Ports;
using Microsoft.AspNetCore.Mvc.Filters;

namespace AssetLedger.Api.WebConsole;

/// <summary>
/// A console page whose reads are the regulator's (trace, holdings, the audit itself): each request is written to the
/// access audit as the API's <see cref="AccessAuditFilter"/> writes its own, before the page is answered, so a search in
/// the browser leaves the same record as the same search over HTTP. The page names what it looked at with
/// <see cref="AccessAuditFilter.SetResource"/>.
/// </summary>
public abstract class AuditedPage : ConsolePage
{
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var id = AccessAuditFilter.NewId(http);
        var started = Stopwatch.GetTimestamp();
        var at = http.RequestServices.GetRequiredService<IClock>().UtcNow;
        var executed = await next();
        // The status the page is answered with: a refusal sets it (ConsolePage.Refused), a page is 200, a thrown error 500.
        var status = executed.Exception is not null && !executed.ExceptionHandled ? StatusCodes.Status500InternalServerError : http.Response.StatusCode;
        var record = AccessAuditFilter.RecordOf(http, id, at, started, status);
        await http.RequestServices.GetRequiredService<IAccessAudit>().Record(record, CancellationToken.None);
    }
}
