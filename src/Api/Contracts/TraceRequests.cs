using System.ComponentModel.DataAnnotations;
using System.Globalization;
using AssetLedger.Api.Problems;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Projections.Assets;
using AssetLedger.Projections.Trace;

namespace AssetLedger.Api.Contracts;

/// <summary>Query parameters of GET /api/v1/trace/search; every one given narrows the result.</summary>
/// <param name="Kind">WarehouseReceipt, Receivable or Intangible.</param>
/// <param name="Status">Pending, Active, Rejected or Cancelled.</param>
/// <param name="Lock">frozen, out, offered, any (any lock) or none.</param>
/// <param name="VenueId">Out at this venue now: a trading center or a bank.</param>
/// <param name="Q">Free text (3–100 characters) in the title, receipt number or bill number.</param>
/// <param name="RegisteredFrom">ISO-8601 date or time (UTC if no offset), inclusive; the *To bounds are exclusive.</param>
public sealed record TraceSearchRequest(
    [property: OneOf(typeof(AssetKind))] string? Kind, [property: OneOf(typeof(AssetStatus), nameof(AssetStatus.None))] string? Status,
    [property: OneOf(typeof(AssetLock))] string? Lock, [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? OwnerId, [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? VenueId,
    [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? WarehouseId, [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? DebtorId, [property: MaxLength(AssetLimits.Text)] string? Commodity,
    [property: Length(3, 100)] string? Q,
    string? RegisteredFrom, string? RegisteredTo, string? ChangedFrom, string? ChangedTo, string? Cursor, [property: Range(1, TraceQueries.MaxLimit)] int? Limit)
{
    public Result<TraceSearch> ToSearch()
    {
        var search = new TraceSearch();
        if (Kind is not null) { var k = TraceParsing.Enum<AssetKind>(Kind, "kind"); if (k.Error is { } e) return e; search = search with { Kind = k.Value }; }
        if (Status is not null)
        {
            var s = TraceParsing.Enum<AssetStatus>(Status, "status");
            if (s.Error is { } e) return e;
            if (s.Value == AssetStatus.None) return RequestErrors.Invalid("status", "status must be Pending, Active, Rejected or Cancelled.");
            search = search with { Status = s.Value };
        }
        if (Lock is not null) { var l = TraceParsing.Enum<AssetLock>(Lock, "lock"); if (l.Error is { } e) return e; search = search with { Lock = l.Value }; }
        foreach (var (value, field) in new[] { (OwnerId, "ownerId"), (VenueId, "venueId"), (WarehouseId, "warehouseId"), (DebtorId, "debtorId") })
            if (value is not null && !ParticipantId.IsWellFormed(value)) return RequestErrors.Invalid(field, $"{field} must be a participant id (1–{ParticipantId.MaxLength} lower-case letters, digits, '-', '_', '.').");
        if (Commodity is { Length: 0 or > AssetLimits.Text }) return RequestErrors.Invalid("commodity", $"commodity is 1–{AssetLimits.Text} characters.");
        if (Q is not null && (Q.Trim().Length < 3 || Q.Length > 100)) return RequestErrors.Invalid("q", "q is free text of 3–100 characters, found in titles, receipt numbers and bill numbers.");
        var times = new DateTimeOffset?[4];
        var names = new[] { (RegisteredFrom, "registeredFrom"), (RegisteredTo, "registeredTo"), (ChangedFrom, "changedFrom"), (ChangedTo, "changedTo") };
        for (var i = 0; i < names.Length; i++)
        {
            var t = TraceParsing.Time(names[i].Item1, names[i].Item2);
            if (t.Error is { } e) return e;
            times[i] = t.Value;
        }
        return search with
        {
            OwnerId = OwnerId, VenueId = VenueId, WarehouseId = WarehouseId, DebtorId = DebtorId, Commodity = Commodity, Text = Q?.Trim(),
            RegisteredFrom = times[0], RegisteredTo = times[1], ChangedFrom = times[2], ChangedTo = times[3],
        };
    }
}

/// <summary>Parsing for the trace queries: a 422 problem naming the field when a value is wrong.</summary>
public static class TraceParsing
{
    /// <summary>Enum names, ignoring case ("frozen" or "Frozen"); numbers are refused.</summary>
    public static Result<T> Enum<T>(string text, string field) where T : struct, System.Enum =>
        System.Enum.TryParse<T>(text, ignoreCase: true, out var v) && System.Enum.IsDefined(v) && !text.Any(char.IsAsciiDigit)
            ? v : RequestErrors.Invalid(field, $"{field} must be one of {string.Join(", ", System.Enum.GetNames<T>())}; got '{text}'.");

    /// <summary>ISO-8601: a date (midnight UTC) or a date and time; without an offset, UTC.</summary>
    public static Result<DateTimeOffset?> Time(string? text, string field)
    {
        if (text is null) return Result<DateTimeOffset?>.Of(null);
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];
        return DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? Result<DateTimeOffset?>.Of(t)
            : RequestErrors.Invalid(field, $"{field} must be an ISO-8601 date or time such as 2026-03-01 or 2026-03-01T08:00:00Z; got '{text}'.");
    }
}

/// <summary>One access-audit record as the audit endpoint shows it.</summary>
public sealed record AccessAuditView(long Seq, Guid Id, DateTimeOffset At, string? ParticipantId, string? UserId, IReadOnlyList<string> Roles,
    string Method, string Path, string? Query, string? Resource, int Status, int DurationMs, string? TraceId)
{
    public static AccessAuditView From(AccessAuditEntry e)
    {
        var r = e.Record;
        return new(e.Seq, r.Id, r.At, r.Participant, r.User, r.Roles, r.Method, r.Path, r.Query, r.Resource, r.Status, r.DurationMs, r.TraceId);
    }
}

/// <param name="NextCursor">Pass back for the next (older) page; null on the last page.</param>
public sealed record AccessAuditPageView(IReadOnlyList<AccessAuditView> Items, string? NextCursor);
