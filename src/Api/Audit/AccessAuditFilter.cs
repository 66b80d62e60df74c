using System.Diagnostics;
using System.Security.Claims;
using AssetLedger.Application.Ports;

namespace AssetLedger.Api.Audit;

/// <summary>
/// Writes one access_audit row for every call of the endpoints it is added to (the trace, registry and audit groups):
/// who (participant, user, roles), what (method, path, query, resource), when, and the status answered. The row is
/// written before the answer goes out, and if it cannot be written the caller gets a 500 instead of the answer.
/// </summary>
public sealed class AccessAuditFilter(IAccessAudit audit, IClock clock) : IEndpointFilter
{
    const string ResourceItem = "AssetLedger.Audit.Resource";
    const string IdItem = "AssetLedger.Audit.Id";
    public const string IdHeader = "X-Access-Audit-Id";

    /// <summary>Claim types that may name the participant's user in a token (the participant itself is the NameIdentifier).</summary>
    public static readonly string[] UserClaimTypes = ["sub"];

    /// <summary>Names what the call looked at, more precisely than the route does (e.g. the asset a registry key resolved to).</summary>
    public static void SetResource(HttpContext http, string resource) => http.Items[ResourceItem] = resource;

    /// <summary>This call's audit record id, also sent as the X-Access-Audit-Id header.</summary>
    public static Guid IdOf(HttpContext http) => http.Items[IdItem] is Guid id ? id : Guid.Empty;

    /// <summary>A new audit record id for this request, kept for <see cref="IdOf"/> and sent as the X-Access-Audit-Id header.</summary>
    public static Guid NewId(HttpContext http)
    {
        var id = Guid.CreateVersion7();
        http.Items[IdItem] = id;
        http.Response.Headers[IdHeader] = id.ToString();
        return id;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var id = NewId(http);
        var started = Stopwatch.GetTimestamp();
        var at = clock.UtcNow;
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await Write(http, id, at, started, StatusCodes.Status500InternalServerError);
            throw;
        }
        await Write(http, id, at, started, StatusOf(result));
        return result;
    }

    // Not the request's token: a client that hangs up must not leave its read unrecorded.
    Task Write(HttpContext http, Guid id, DateTimeOffset at, long started, int status) => audit.Record(RecordOf(http, id, at, started, status), CancellationToken.None);

    /// <summary>The record of one read, as the API's endpoints and the console's pages both write it.</summary>
    public static AccessRecord RecordOf(HttpContext http, Guid id, DateTimeOffset at, long started, int status)
    {
        var user = http.User;
        var authenticated = user.Identity?.IsAuthenticated == true;
        var request = http.Request;
        var resource = http.Items[ResourceItem] as string ?? DefaultResource(http);
        var record = new AccessRecord(
            id, at, authenticated ? user.FindFirstValue(Security.TokenService.ParticipantClaim) : null,
            authenticated ? UserClaimTypes.Select(user.FindFirstValue).FirstOrDefault(v => !string.IsNullOrEmpty(v)) : null,
            authenticated ? user.FindAll("role").Select(c => c.Value).ToList() : [],
            request.Method, request.Path.Value ?? "", request.QueryString.HasValue ? request.QueryString.Value![1..] : null,
            resource, status, (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds), http.TraceIdentifier);
        return record;
    }

    static string? DefaultResource(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        var id = http.Request.RouteValues.TryGetValue("id", out var v) ? v?.ToString() : null;
        if (id is null) return null;
        return path.Contains("/participants/", StringComparison.Ordinal) ? $"participant:{id}" : $"asset:{id}";
    }

    static int StatusOf(object? result)
    {
        for (var r = result; r is not null;)
        {
            if (r is IStatusCodeHttpResult { StatusCode: { } status }) return status;
            if (r is INestedHttpResult nested) { r = nested.Result; continue; }
            break;
        }
        return StatusCodes.Status200OK;
    }
}
