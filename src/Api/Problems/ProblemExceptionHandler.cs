using System.Text.Json;
using AssetLedger.Application.Ports;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.Problems;

/// <summary>
/// Turns what a client can get wrong before an endpoint runs (unreadable JSON, a missing body, a wrong
/// content type) into a 400 problem that names the cause; a fault of the database into a 503 with Retry-After
/// (a fault of the service, not a bug: logged as a warning). Anything else is a bug: a 500 without internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, IDatabaseFaults faults, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            var (code, detail) = Describe(bad);
            problem = Problems.Details(bad.StatusCode, code, detail);
        }
        else if (faults.IsUnavailable(exception))
        {
            log.LogWarning("The database was unavailable for {Method} {Path}: {Error}", http.Request.Method, http.Request.Path, exception.Message);
            var e = ServiceErrors.DatabaseUnavailable;
            problem = Problems.Details(Problems.StatusOf(e.Kind), e.Code, e.Message, e.Field);
            http.Response.Headers.RetryAfter = ServiceErrors.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            log.LogError(exception, "Unhandled error for {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = Problems.Details(StatusCodes.Status500InternalServerError, "server.error",
                "The registry failed to handle this request, so its outcome is unknown: retry with the same Idempotency-Key, which answers a write that committed as it was.");
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    static (string Code, string Detail) Describe(BadHttpRequestException bad)
    {
        var json = FindInner<JsonException>(bad);
        if (json is not null)
            return ("request.malformed_json", $"The body is not valid JSON for this request: {json.Message.Split(" LineNumber:")[0].Split(". Path:")[0]}" +
                (json.Path is { Length: > 0 } p ? $" (at {p})." : "."));
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return ("request.unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'.");
        if (bad.Message.Contains("body was provided", StringComparison.OrdinalIgnoreCase) || bad.Message.Contains("empty body", StringComparison.OrdinalIgnoreCase))
            return ("request.body_required", "This request needs a JSON body; see the OpenAPI document at /swagger/v1/swagger.json.");
        return ("request.malformed", bad.Message);
    }

    static T? FindInner<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException) if (e is T t) return t;
        return null;
    }
}
