using AssetLedger.Api.Problems;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Api.Contracts;

/// <summary>
/// The ranges of query parameters, checked before a query runs: a value out of range is a 400 problem naming the
/// parameter, never silently clamped (the OpenAPI document publishes the same minimum and maximum).
/// </summary>
public static class QueryRules
{
    /// <summary>A page size: 1–<paramref name="max"/>, or absent for the list's default.</summary>
    public static DomainError? PageSize(int? limit, int max) =>
        limit is < 1 || limit > max ? RequestErrors.Malformed("limit", $"limit is a page size from 1 to {max}.") : null;

    /// <summary>A tree size, a log position or a paging bound: at least <paramref name="min"/> when given.</summary>
    public static DomainError? AtLeast(long? value, long min, string field) =>
        value < min ? RequestErrors.Malformed(field, $"{field} is at least {min}.") : null;

    /// <summary>A filter that names a participant: a well-formed participant id when given.</summary>
    public static DomainError? Participant(string? value, string field) =>
        value is not null && !ParticipantId.IsWellFormed(value)
            ? RequestErrors.Malformed(field, $"{field} must be a participant id (1–{ParticipantId.MaxLength} lower-case letters, digits, '-', '_', '.').")
            : null;

    /// <summary>A filter on an asset's text field (commodity, receipt or bill number): 1–<see cref="AssetLimits.Text"/> characters when given.</summary>
    public static DomainError? AssetText(string? value, string field) =>
        value is { Length: 0 or > AssetLimits.Text } ? RequestErrors.Malformed(field, $"{field} is 1–{AssetLimits.Text} characters.") : null;

    public static DomainError? FirstOf(params DomainError?[] errors) => errors.FirstOrDefault(e => e is not null);
}
