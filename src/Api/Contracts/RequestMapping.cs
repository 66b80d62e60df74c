using System.Globalization;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using static AssetLedger.Api.Problems.RequestErrors;

namespace AssetLedger.Api.Contracts;

/// <summary>Turns request bodies into domain values, with a 422 that names the field when one is wrong.</summary>
public static class RequestMapping
{
    public static Result<T> ParseEnum<T>(string? text, string field) where T : struct, Enum =>
        text is not null && Enum.TryParse<T>(text, ignoreCase: false, out var v) && Enum.IsDefined(v) && !int.TryParse(text, out _)
            ? v
            : Invalid(field, $"{field} must be one of {string.Join(", ", Enum.GetNames<T>())}; got '{text ?? "(missing)"}'.");

    public static Result<ParticipantId> Participant(string? text, string field) =>
        ParticipantId.IsWellFormed(text) ? new ParticipantId(text!) : Invalid(field, $"{field} must name a participant id (1–{ParticipantId.MaxLength} lower-case letters, digits, '-', '_', '.').");

    static Result<DateOnly?> Date(string? text, string field)
    {
        if (text is null) return Result<DateOnly?>.Of(null);
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? Result<DateOnly?>.Of(d) : Invalid(field, $"{field} must be a date as YYYY-MM-DD; got '{text}'.");
    }

    public static Result<AssetDetails> Details(RegisterAssetRequest r, AssetKind kind)
    {
        // A field of another kind would be dropped unread; refusing it tells the client what it got wrong.
        if (ForeignField(r, kind) is { } foreign) return Invalid(foreign, $"{foreign} is not a field of a {kind}; see RegisterAssetRequest in the OpenAPI document.");
        var d = new AssetDetails { Description = r.Description };
        switch (kind)
        {
            case AssetKind.WarehouseReceipt:
                var wh = Participant(r.WarehouseId, "warehouseId");
                if (wh.Error is { } e1) return e1;
                var q = Quantity.Create(r.Quantity, r.Unit);
                if (q.Error is { } e2) return e2;
                return d with { Warehouse = wh.Value, ReceiptNumber = r.ReceiptNumber, Commodity = r.Commodity, Quantity = q.Value };
            case AssetKind.Receivable:
                var debtor = Participant(r.DebtorId, "debtorId");
                if (debtor.Error is { } e3) return e3;
                var m = Money.Create(r.Amount, r.Currency);
                if (m.Error is { } e4) return e4;
                var due = Date(r.DueDate, "dueDate");
                if (due.Error is { } e5) return e5;
                return d with { Debtor = debtor.Value, BillNumber = r.BillNumber, Amount = m.Value, DueDate = due.Value };
            default:
                return d with { Title = r.Title, ContentSha256 = r.ContentSha256, MediaType = r.MediaType };
        }
    }

    static string? ForeignField(RegisterAssetRequest r, AssetKind kind)
    {
        (string? Value, string Field, AssetKind Kind)[] fields =
        [
            (r.WarehouseId, "warehouseId", AssetKind.WarehouseReceipt), (r.ReceiptNumber, "receiptNumber", AssetKind.WarehouseReceipt),
            (r.Commodity, "commodity", AssetKind.WarehouseReceipt), (r.Quantity, "quantity", AssetKind.WarehouseReceipt), (r.Unit, "unit", AssetKind.WarehouseReceipt),
            (r.DebtorId, "debtorId", AssetKind.Receivable), (r.BillNumber, "billNumber", AssetKind.Receivable), (r.Amount, "amount", AssetKind.Receivable),
            (r.Currency, "currency", AssetKind.Receivable), (r.DueDate, "dueDate", AssetKind.Receivable),
            (r.Title, "title", AssetKind.Intangible), (r.ContentSha256, "contentSha256", AssetKind.Intangible), (r.MediaType, "mediaType", AssetKind.Intangible),
        ];
        return fields.FirstOrDefault(f => f.Value is not null && f.Kind != kind).Field;
    }

    public static Result<AssetDetails> Changes(AmendmentRequest r)
    {
        Quantity? quantity = null;
        if (r.Quantity is not null || r.Unit is not null)
        {
            var q = Quantity.Create(r.Quantity, r.Unit);
            if (q.Error is { } e) return e;
            quantity = q.Value;
        }
        Money? amount = null;
        if (r.Amount is not null || r.Currency is not null)
        {
            var m = Money.Create(r.Amount, r.Currency);
            if (m.Error is { } e) return e;
            amount = m.Value;
        }
        var due = Date(r.DueDate, "dueDate");
        if (due.Error is { } e6) return e6;
        return new AssetDetails
        {
            Commodity = r.Commodity, Quantity = quantity, Amount = amount, DueDate = due.Value, Title = r.Title,
            MediaType = r.MediaType, Description = r.Description, ReceiptNumber = r.ReceiptNumber, BillNumber = r.BillNumber,
            ContentSha256 = r.ContentSha256,
            Warehouse = r.WarehouseId is null ? null : new ParticipantId(r.WarehouseId),
            Debtor = r.DebtorId is null ? null : new ParticipantId(r.DebtorId),
        };
    }

    /// <summary>If-Match: "3", W/"3" or 3. Null when absent; an error when present but not a version.</summary>
    public static Result<long?> IfMatch(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return Result<long?>.Of(null);
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        text = text.Trim('"');
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? Result<long?>.Of(v)
            : Invalid("If-Match", $"If-Match must be the asset's ETag, e.g. \"3\"; got {header}.");
    }
}
