using System.Text.Json;
using System.Text.RegularExpressions;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.Problems;

/// <summary>
/// Turns what a client can get wrong before an endpoint runs (unreadable JSON, a value of the wrong type, a missing body,
/// a wrong content type, a body too large) into a 4xx problem that names the field. The framework's own messages name
/// internal types (<c>Nullable&lt;int&gt;</c>, a contract's class), so they are never shown. A fault of the database is a
/// 503 with Retry-After (a fault of the service, not a bug: logged as a warning). Anything else is a bug: a 500 without internals.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, IDatabaseFaults faults, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            var error = Describe(bad);
            problem = Problems.Details(Problems.StatusOf(error.Kind), error.Code, error.Message, error.Field);
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

    [GeneratedRegex("""parameter "(?:[^"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)" """)] private static partial Regex ParameterName();

    /// <summary>What went wrong, in our words: the framework's message only ever yields a parameter's name.</summary>
    public static DomainError Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge) return RequestErrors.TooLarge;
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return new("request.unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'.", ErrorKind.Malformed);
        if (FindInner<JsonException>(bad) is { } json)
        {
            var member = json.Path?.TrimStart('$', '.') is { } p && p != "" ? p : null;
            var detail = member is null
                ? "The body is not valid JSON for this request (see the OpenAPI document at /swagger/v1/swagger.json)."
                : $"'{member}' has the wrong type or is not valid JSON; see the OpenAPI document at /swagger/v1/swagger.json for what it holds.";
            return new("request.malformed_json", detail, ErrorKind.Malformed, member);
        }
        if (bad.Message.Contains("body was provided", StringComparison.OrdinalIgnoreCase) || bad.Message.Contains("empty body", StringComparison.OrdinalIgnoreCase))
            return new("request.body_required", "This request needs a JSON body; see the OpenAPI document at /swagger/v1/swagger.json.", ErrorKind.Malformed);
        if (ParameterName().Match(bad.Message) is { Success: true } m)
        {
            var name = m.Groups["name"].Value;
            return bad.Message.StartsWith("Required", StringComparison.Ordinal)
                ? RequestErrors.Malformed(name, $"{name} is required; see the OpenAPI document at /swagger/v1/swagger.json.")
                : RequestErrors.Malformed(name, $"{name} does not hold a value of its type (a number in range, a UUID, true or false…); see the OpenAPI document at /swagger/v1/swagger.json.");
        }
        return new("request.malformed", "The request is malformed; see the OpenAPI document at /swagger/v1/swagger.json.", ErrorKind.Malformed);
    }

    static T? FindInner<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException) if (e is T t) return t;
        return null;
    }
}
