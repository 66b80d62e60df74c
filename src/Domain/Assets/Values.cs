using System.Globalization;
using System.Text.RegularExpressions;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Assets;

public enum AssetKind { WarehouseReceipt, Receivable, Intangible }

/// <summary>
/// <c>Released</c>: every unit of a warehouse receipt's goods left the warehouse against delivery orders (closed).
/// <c>Expired</c>: its required confirmations were not all in within the policy's window (closed).
/// <c>Split</c>: a warehouse receipt divided into new receipts for parts of its goods (closed; the parts live on).
/// </summary>
public enum AssetStatus { None, Pending, Active, Rejected, Cancelled, Released, Expired, Split }

public enum VenuePurpose { Trade, Financing }

public enum FreezeAuthority { Judicial, Regulatory, IotAlarm }

/// <summary>A positive decimal amount carried as a string; never a float.</summary>
public static partial class Decimals
{
    /// <summary>The shape of a decimal string, as the OpenAPI document publishes it (zero itself is refused too).</summary>
    public const string Pattern = @"^(0|[1-9][0-9]{0,17})(\.[0-9]{1,10})?$";

    // \z, not $: $ also matches before a final "\n".
    [GeneratedRegex(@"^(0|[1-9][0-9]{0,17})(\.[0-9]{1,10})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    /// <summary>Parses "12.500" style amounts: digits, optional fraction, no sign, no exponent, greater than zero.</summary>
    public static bool TryParsePositive(string? text, out decimal value)
    {
        value = 0;
        if (text is null || !Shape().IsMatch(text)) return false;
        value = decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return value > 0;
    }

    /// <summary>Parses a decimal string of the shape above that may be zero (a remaining quantity).</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (text is null || !Shape().IsMatch(text)) return false;
        value = decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return true;
    }

    public static bool IsZero(string text) => TryParse(text, out var v) && v == 0;

    /// <summary>Canonical text: invariant culture, trailing zeros of the fraction removed.</summary>
    public static string Canonical(decimal value)
    {
        var s = value.ToString("0.##########", CultureInfo.InvariantCulture);
        return s;
    }
}

/// <summary>A quantity of goods: "1200.5" "t".</summary>
public sealed record Quantity(string Value, string Unit)
{
    public static Result<Quantity> Create(string? value, string? unit, string field = "quantity")
    {
        if (!Decimals.TryParsePositive(value, out var v))
            return AssetErrors.Invalid(field, $"'{value}' is not a positive decimal string such as \"1200.5\" (digits, optional fraction, no sign or exponent).");
        if (string.IsNullOrWhiteSpace(unit) || unit.Length > AssetLimits.Unit)
            return AssetErrors.Invalid("unit", $"A unit of measure (1–{AssetLimits.Unit} characters, e.g. \"t\", \"bbl\", \"m3\") is required.");
        return new Quantity(Decimals.Canonical(v), unit.Trim());
    }
}

/// <summary>An amount of money: "100000.00" "CNY".</summary>
public sealed partial record Money(string Value, string Currency)
{
    public const string CurrencyPattern = "^[A-Z]{3}$";

    [GeneratedRegex(@"^[A-Z]{3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyShape();

    public static Result<Money> Create(string? value, string? currency, string field = "amount")
    {
        if (!Decimals.TryParsePositive(value, out var v))
            return AssetErrors.Invalid(field, $"'{value}' is not a positive decimal string such as \"100000.00\" (digits, optional fraction, no sign or exponent).");
        if (currency is null || !CurrencyShape().IsMatch(currency))
            return AssetErrors.Invalid("currency", "The currency must be an ISO 4217 code of three capital letters, e.g. \"CNY\".");
        return new Money(Decimals.Canonical(v), currency);
    }
}

/// <summary>
/// What an asset is. One flat record for the three kinds keeps the stored shape simple;
/// <see cref="AssetDetailsRules"/> says which fields each kind requires.
/// </summary>
public sealed record AssetDetails
{
    public ParticipantId? Warehouse { get; init; }
    public string? ReceiptNumber { get; init; }
    public string? Commodity { get; init; }
    public Quantity? Quantity { get; init; }
    public ParticipantId? Debtor { get; init; }
    public string? BillNumber { get; init; }
    public Money? Amount { get; init; }
    public DateOnly? DueDate { get; init; }
    public string? Title { get; init; }
    public string? ContentSha256 { get; init; }
    public string? MediaType { get; init; }
    public string? Description { get; init; }
}

/// <summary>A confirmation an asset needs before it becomes Active: a named party or any holder of a role.</summary>
public sealed record ConfirmerRequirement(string Slot, Role Role, ParticipantId? Named)
{
    public bool Admits(Actor actor) => Named is { } named ? actor.Id == named : actor.Has(Role);
}

public sealed record TransferOffer(ParticipantId To, DateTimeOffset Since);

public sealed record Custody(ParticipantId Venue, VenuePurpose Purpose, DateTimeOffset Since);

/// <summary>A part delivery the custodian warehouse asked for while the receipt is out at a venue, awaiting the venue's answer.</summary>
public sealed record ReleaseRequest(string DeliveryOrder, Quantity Quantity, ParticipantId By, DateTimeOffset Since);

/// <summary>One part of a split as the split records it: the new receipt's id, natural key, receipt number and quantity.</summary>
public sealed record SplitPart(AssetId Asset, string Key, string ReceiptNumber, Quantity Quantity);

/// <summary>A confirmation a part carries from the receipt it was split from: the slot and who filled it.</summary>
public sealed record CarriedConfirmation(string Slot, ParticipantId By);

public sealed record Freeze(string FreezeId, ParticipantId By, FreezeAuthority Authority, string Reason, DateTimeOffset Since);
