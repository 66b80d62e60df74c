using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.Problems;

/// <summary>The one place a refusal becomes an RFC 9457 problem: a stable code, a status, and a sentence that says why.</summary>
public static class Problems
{
    public const string TypePrefix = "https://assetledger.example/problems/";

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult From(DomainError e) => Create(StatusOf(e.Kind), e.Code, e.Message, e.Field);

    public static ProblemHttpResult Create(int status, string code, string detail, string? field = null)
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
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Invalid(string field, string detail) => Create(StatusCodes.Status422UnprocessableEntity, "request.invalid", detail, field);

    public static ProblemHttpResult BadRequest(string code, string detail, string? field = null) => Create(StatusCodes.Status400BadRequest, code, detail, field);

    public static string TitleOf(int status) => status switch
    {
        400 => "The request is malformed",
        401 => "Authentication is required",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflicts with the current state",
        412 => "Precondition failed",
        415 => "Unsupported media type",
        422 => "The request is invalid",
        429 => "Too many requests",
        503 => "Not available yet",
        _ => "Server error",
    };
}
