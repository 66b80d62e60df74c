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
}
