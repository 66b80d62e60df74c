using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.Problems;

/// <summary>
/// The one place a refusal becomes an RFC 9457 problem: a stable code, a status, and a sentence that says why.
/// Endpoints and middleware hand over a <see cref="DomainError"/> (from the Domain, the Application or this folder's
/// catalogs); only the framework's own errors arrive as a status and are described here too.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "https://assetledger.example/problems/";

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Malformed => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorKind.Invalid => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.Locked => StatusCodes.Status423Locked,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "An error kind without a status."),
    };

    public static ProblemHttpResult From(DomainError e) => TypedResults.Problem(Details(StatusOf(e.Kind), e.Code, e.Message, e.Field));

    /// <summary>Every problem's body: <c>type</c> is the code under <see cref="TypePrefix"/>, <c>code</c> and <c>field</c> are extensions.</summary>
    internal static ProblemDetails Details(int status, string code, string detail, string? field = null)
    {
        var problem = new ProblemDetails
        {
            Type = TypePrefix + code,
            Title = TitleOf(status),
            Status = status,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        if (field is not null) problem.Extensions["field"] = field;
        return problem;
    }

    /// <summary>
    /// A problem as bytes, for the one place that writes beneath ASP.NET (Kestrel's own refusals): <paramref name="status"/>
    /// is the status Kestrel chose, kept so that the answer's status line and body agree.
    /// </summary>
    public static byte[] Serialized(int status, DomainError e) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["type"] = TypePrefix + e.Code,
        ["title"] = TitleOf(status),
        ["status"] = status,
        ["detail"] = e.Message,
        ["code"] = e.Code,
    });

    /// <summary>
    /// Runs on every problem written (ours and the framework's): adds the trace id, and gives the framework's own
    /// problems (415, 405, 404 of an unknown route) a code and a sentence too.
    /// </summary>
    public static void Describe(ProblemDetailsContext c)
    {
        c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
        if (c.ProblemDetails.Extensions.ContainsKey("code")) return;
        var status = c.ProblemDetails.Status ?? 500;
        var (code, detail) = status switch
        {
            415 => ("request.unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'."),
            405 => ("request.method_not_allowed", "This path does not accept this HTTP method; see /swagger for the API."),
            404 => ("route.not_found", "No endpoint has this path; see /swagger for the API."),
            413 => ("request.too_large", "The request body is larger than this endpoint takes."),
            _ => ("request.failed", c.ProblemDetails.Detail ?? TitleOf(status)),
        };
        c.ProblemDetails.Type = TypePrefix + code;
        c.ProblemDetails.Title = TitleOf(status);
        c.ProblemDetails.Detail ??= detail;
        c.ProblemDetails.Extensions["code"] = code;
    }

    public static string TitleOf(int status) => status switch
    {
        400 => "The request is malformed",
        401 => "Authentication is required",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflicts with the current state",
        412 => "Precondition failed",
        405 => "Method not allowed",
        408 => "The request took too long",
        411 => "The request needs a Content-Length",
        413 => "The request is too large",
        414 => "The request target is too long",
        415 => "Unsupported media type",
        422 => "The request is invalid",
        423 => "The account is locked",
        429 => "Too many requests",
        431 => "The request's headers are too large",
        503 => "Not available yet",
        >= 400 and < 500 => "The request was refused",
        _ => "Server error",
    };
}
