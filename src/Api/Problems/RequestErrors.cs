using AssetLedger.Domain.Common;

namespace AssetLedger.Api.Problems;

/// <summary>
/// What a client can get wrong in the shape of a request, whatever the resource. A body or a command that names a
/// wrong value is <c>request.invalid</c> (422); a query parameter out of its range is the same code with 400.
/// </summary>
public static class RequestErrors
{
    /// <summary>A body field, header or path value that does not hold what it must (422).</summary>
    public static DomainError Invalid(string field, string detail) => new("request.invalid", detail, ErrorKind.Invalid, field);

    /// <summary>A query parameter outside what the endpoint reads (400).</summary>
    public static DomainError Malformed(string field, string detail) => new("request.invalid", detail, ErrorKind.Malformed, field);

    /// <summary>A paging cursor this list did not hand out, or one given without the list it pages (400).</summary>
    public static DomainError InvalidCursor(string detail, string field = "cursor") => new("request.invalid_cursor", detail, ErrorKind.Malformed, field);

    /// <summary>A from/to range wider than one call may cover; the client pages instead (400).</summary>
    public static DomainError RangeTooLarge(string detail) => new("request.range_too_large", detail, ErrorKind.Malformed, "to");

    /// <summary>A body larger than the endpoint takes (413); an anonymous caller gets a smaller allowance than a logged-in one.</summary>
    public static readonly DomainError TooLarge = new("request.too_large",
        "The request body is larger than this endpoint takes; see the limits in the OpenAPI document at /swagger/v1/swagger.json.", ErrorKind.TooLarge);

    /// <summary>What Kestrel refuses before any middleware runs, by the status it chose (see Hosting/KestrelRefusals).</summary>
    public static DomainError RefusedByServer(int status) => status switch
    {
        413 => TooLarge,
        414 => new("request.target_too_long", "The request's path and query are longer than the server reads; no parameter of this API needs that much.", ErrorKind.TooLarge),
        431 => new("request.headers_too_large", "The request's headers are larger than the server reads; no header of this API needs that much.", ErrorKind.TooLarge),
        _ => new("request.unreadable", "The server could not read this HTTP request: a malformed request line or target (a NUL in the path, say), " +
                 "or a header holding a NUL, a CR or LF, or bytes that are not text. Nothing was done.", ErrorKind.Malformed),
    };
}
