using AssetLedger.Api.Problems;
using AssetLedger.Application.Ports;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Security;

/// <summary>
/// Refuses every write (any method but GET, HEAD, OPTIONS; logging in and refreshing a token excepted, so readers
/// still read) while the database lacks a checkpoint an anchor holds (<see cref="IRollbackGuard"/>): history third
/// parties hold must not be silently overwritten by new events at the same positions. Before idempotency, so a refused
/// write reserves no key.
/// </summary>
public sealed class RollbackGate(RequestDelegate next, IRollbackGuard guard)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && !request.Path.StartsWithSegments("/api/v1/auth")
            && await guard.MissingCheckpoint(http.RequestAborted) is { } missing)
        {
            await P.From(LedgerErrors.RolledBack(missing)).ExecuteAsync(http);
            return;
        }
        await next(http);
    }
}
