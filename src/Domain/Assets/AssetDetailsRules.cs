using System.Text.RegularExpressions;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Assets;

/// <summary>What each kind requires, and the natural key that may be registered once.</summary>
public static partial class AssetDetailsRules
{
    public const string Sha256Pattern = "^[0-9a-f]{64}$";

    /// <summary>A date as YYYY-MM-DD, the shape of dueDate.</summary>
    public const string DatePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

    // \z, not $: $ also matches before a final "\n".
    [GeneratedRegex(@"^[0-9a-f]{64}\z", RegexOptions.CultureInvariant)]
    public static partial Regex Sha256Hex();

    public static DomainError? Validate(AssetKind kind, AssetDetails d) => (Enum.IsDefined(kind) ? Foreign(kind, d) : null) ?? (kind switch
    {
        AssetKind.WarehouseReceipt =>
            RequireParticipant(d.Warehouse, "warehouseId") ?? RequireText(d.ReceiptNumber, "receiptNumber") ??
            RequireText(d.Commodity, "commodity") ?? RequireQuantity(d.Quantity) ??
            Optional(d.Description, "description"),
        AssetKind.Receivable =>
            RequireParticipant(d.Debtor, "debtorId") ?? RequireText(d.BillNumber, "billNumber") ??
            RequireAmount(d.Amount) ??
            (d.DueDate is null ? AssetErrors.Invalid("dueDate", "A receivable needs a due date (YYYY-MM-DD).") : null) ??
            Optional(d.Description, "description"),
        AssetKind.Intangible =>
            RequireText(d.Title, "title") ??
            (d.ContentSha256 is null || !Sha256Hex().IsMatch(d.ContentSha256)
                ? AssetErrors.Invalid("contentSha256", "contentSha256 must be the content's SHA-256 as 64 lower-case hex digits.") : null) ??
            RequireText(d.MediaType, "mediaType") ?? Optional(d.Description, "description"),
        _ => AssetErrors.Invalid("kind", "kind must be WarehouseReceipt, Receivable or Intangible."),
    });

    /// <summary>A field of another kind: it would be stored unchecked and shown on an asset it does not describe.</summary>
    static DomainError? Foreign(AssetKind kind, AssetDetails d)
    {
        (bool Given, string Field, AssetKind Kind)[] fields =
        [
            (d.Warehouse is not null, "warehouseId", AssetKind.WarehouseReceipt), (d.ReceiptNumber is not null, "receiptNumber", AssetKind.WarehouseReceipt),
            (d.Commodity is not null, "commodity", AssetKind.WarehouseReceipt), (d.Quantity is not null, "quantity", AssetKind.WarehouseReceipt),
            (d.Debtor is not null, "debtorId", AssetKind.Receivable), (d.BillNumber is not null, "billNumber", AssetKind.Receivable),
            (d.Amount is not null, "amount", AssetKind.Receivable), (d.DueDate is not null, "dueDate", AssetKind.Receivable),
            (d.Title is not null, "title", AssetKind.Intangible), (d.ContentSha256 is not null, "contentSha256", AssetKind.Intangible),
            (d.MediaType is not null, "mediaType", AssetKind.Intangible),
        ];
        return fields.FirstOrDefault(f => f.Given && f.Kind != kind) is { Field: { } field }
            ? AssetErrors.Invalid(field, $"{field} is not a field of a {kind}.") : null;
    }

    /// <summary>The natural key: warehouse + receipt number, debtor + bill number, or the content hash.</summary>
    public static string KeyOf(AssetKind kind, AssetDetails d) => kind switch
    {
        AssetKind.WarehouseReceipt => $"receipt:{d.Warehouse}:{d.ReceiptNumber}",
        AssetKind.Receivable => $"receivable:{d.Debtor}:{d.BillNumber}",
        AssetKind.Intangible => $"intangible:{d.ContentSha256}",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Fields whose change alters what the confirmers vouched for, so the asset returns to Pending.</summary>
    public static bool IsMaterial(AssetDetails before, AssetDetails after) =>
        before.Commodity != after.Commodity || before.Quantity != after.Quantity ||
        before.Amount != after.Amount || before.DueDate != after.DueDate || before.MediaType != after.MediaType;

    static DomainError? RequireParticipant(ParticipantId? id, string field) =>
        id is { } p && ParticipantId.IsWellFormed(p.Value) ? null
            : AssetErrors.Invalid(field, $"{field} must name a participant id (lower-case letters, digits, '-', '_', '.').");

    // The records can be built without Create, so their values are checked here again.
    static DomainError? RequireQuantity(Quantity? q) =>
        q is null ? AssetErrors.Invalid("quantity", "A warehouse receipt needs a quantity and unit.") : Quantity.Create(q.Value, q.Unit).Error;

    static DomainError? RequireAmount(Money? m) =>
        m is null ? AssetErrors.Invalid("amount", "A receivable needs an amount and currency.") : Money.Create(m.Value, m.Currency).Error;

    static DomainError? RequireText(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) || text.Length > AssetLimits.Text
            ? AssetErrors.Invalid(field, $"{field} is required (1–{AssetLimits.Text} characters).") : null;

    static DomainError? Optional(string? text, string field) =>
        text is { Length: > AssetLimits.LongText } ? AssetErrors.Invalid(field, $"{field} is at most {AssetLimits.LongText} characters.") : null;
}
