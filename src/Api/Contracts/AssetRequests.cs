using System.ComponentModel.DataAnnotations;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Users;

namespace AssetLedger.Api.Contracts;

/// <summary>
/// Registers an asset. Common: kind, ownerId. WarehouseReceipt: warehouseId, receiptNumber, commodity, quantity, unit.
/// Receivable: debtorId, billNumber, amount, currency, dueDate. Intangible: title, contentSha256, mediaType.
/// Decimals are strings ("1200.5"), never numbers.
/// </summary>
public sealed record RegisterAssetRequest(
    [property: OneOf(typeof(AssetKind))] string? Kind, [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? OwnerId,
    [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? WarehouseId = null, [property: MaxLength(AssetLimits.Text)] string? ReceiptNumber = null, [property: MaxLength(AssetLimits.Text)] string? Commodity = null,
    [property: RegularExpression(Decimals.Pattern)] string? Quantity = null, [property: MaxLength(AssetLimits.Unit)] string? Unit = null,
    [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? DebtorId = null, [property: MaxLength(AssetLimits.Text)] string? BillNumber = null, [property: RegularExpression(Decimals.Pattern)] string? Amount = null,
    [property: RegularExpression(Money.CurrencyPattern)] string? Currency = null, [property: RegularExpression(AssetDetailsRules.DatePattern)] string? DueDate = null,
    [property: MaxLength(AssetLimits.Text)] string? Title = null, [property: RegularExpression(AssetDetailsRules.Sha256Pattern)] string? ContentSha256 = null,
    [property: MaxLength(AssetLimits.Text)] string? MediaType = null, [property: MaxLength(AssetLimits.LongText)] string? Description = null);

/// <summary>A required confirmer approves (确权) or rejects the asset.</summary>
public sealed record ConfirmationRequest(bool? Approve, [property: MaxLength(AssetLimits.LongText)] string? Comment = null);

/// <summary>New values for the fields that may change; omitted fields keep their value. Quantity needs its unit, amount its currency.</summary>
public sealed record AmendmentRequest(
    [property: MaxLength(AssetLimits.Text)] string? Commodity = null, [property: RegularExpression(Decimals.Pattern)] string? Quantity = null, [property: MaxLength(AssetLimits.Unit)] string? Unit = null,
    [property: RegularExpression(Decimals.Pattern)] string? Amount = null, [property: RegularExpression(Money.CurrencyPattern)] string? Currency = null,
    [property: RegularExpression(AssetDetailsRules.DatePattern)] string? DueDate = null, [property: MaxLength(AssetLimits.Text)] string? Title = null, [property: MaxLength(AssetLimits.Text)] string? MediaType = null,
    [property: MaxLength(AssetLimits.LongText)] string? Description = null,
    [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? WarehouseId = null, [property: MaxLength(AssetLimits.Text)] string? ReceiptNumber = null, [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? DebtorId = null, [property: MaxLength(AssetLimits.Text)] string? BillNumber = null,
    [property: RegularExpression(AssetDetailsRules.Sha256Pattern)] string? ContentSha256 = null);

public sealed record TransferOfferRequest([property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? ToId);

/// <summary>Transfer out to a venue: a TradingCenter for Trade, a FinancialInstitution for Financing (pledge).</summary>
public sealed record TransferOutRequest([property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? VenueId, [property: OneOf(typeof(VenuePurpose))] string? Purpose);

/// <summary>The venue returns the asset, to its owner or (sold, enforced) to a new owner.</summary>
public sealed record ReturnRequest([property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? NewOwnerId = null);

/// <summary>Freeze by a regulator or court. authority: Judicial or Regulatory (default). freezeId is generated when omitted.</summary>
public sealed record FreezeRequest([property: MaxLength(AssetLimits.LongText)] string? Reason, [property: OneOf(typeof(FreezeAuthority), nameof(FreezeAuthority.IotAlarm))] string? Authority = null,
    [property: MaxLength(AssetLimits.FreezeId)] string? FreezeId = null);

public sealed record UnfreezeRequest([property: MaxLength(AssetLimits.FreezeId)] string? FreezeId, [property: MaxLength(AssetLimits.LongText)] string? Reason = null);

/// <summary>Part delivery against a delivery order, in the receipt's unit (give <c>unit</c> only to have it checked).</summary>
public sealed record GoodsReleaseRequest([property: MaxLength(AssetLimits.Text)] string? DeliveryOrder, [property: RegularExpression(Decimals.Pattern)] string? Quantity,
    [property: MaxLength(AssetLimits.Unit)] string? Unit = null);

/// <summary>The venue's answer to the pending release request: consent true releases the goods, false refuses.</summary>
public sealed record GoodsReleaseAnswerRequest(bool? Consent, [property: MaxLength(AssetLimits.LongText)] string? Comment = null);

/// <summary>A split (拆分) into 2–100 parts whose quantities, in the receipt's unit, sum exactly to the receipt's.</summary>
public sealed record SplitRequest([property: MaxLength(AssetLimits.SplitParts)] IReadOnlyList<SplitPartBody>? Parts);

/// <summary>One part: its quantity and, optionally, its receipt number (else the receipt's number with "-1", "-2", …).</summary>
public sealed record SplitPartBody([property: RegularExpression(Decimals.Pattern)] string? Quantity, [property: MaxLength(AssetLimits.Text)] string? ReceiptNumber = null);

public sealed record CancelRequest([property: MaxLength(AssetLimits.LongText)] string? Reason);

/// <summary>Evidence by hash: the document itself stays with its holder.</summary>
public sealed record EvidenceRequest([property: RegularExpression(AssetDetailsRules.Sha256Pattern)] string? Sha256,
    [property: MaxLength(AssetLimits.EvidenceMediaType)] string? MediaType, [property: MaxLength(AssetLimits.LongText)] string? Description = null);

/// <summary>The operator onboards a verified participant directly. creditCode: the 18-character unified social credit code.</summary>
public sealed record RegisterParticipantRequest([property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? Id, [property: MaxLength(ParticipantLimits.Name)] string? Name,
    [property: MaxLength(ParticipantLimits.Roles), OneOf(typeof(Role), nameof(Role.System))] IReadOnlyList<string>? Roles, [property: RegularExpression(CreditCode.Pattern)] string? CreditCode = null,
    [property: MaxLength(ParticipantLimits.Contact)] string? Contact = null);

/// <summary>An organisation applies (no login yet): its participant details, and the first user who will log in for it.</summary>
public sealed record ParticipantApplicationRequest([property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? Id, [property: MaxLength(ParticipantLimits.Name)] string? Name,
    [property: RegularExpression(CreditCode.Pattern)] string? CreditCode, [property: MaxLength(ParticipantLimits.Contact)] string? Contact,
    [property: MaxLength(ParticipantLimits.Roles), OneOf(typeof(Role), nameof(Role.System), nameof(Role.Operator), nameof(Role.Regulator))] IReadOnlyList<string>? Roles,
    [property: RegularExpression(UserLimits.LoginPattern)] string? AdminLogin, [property: Length(UserLimits.PasswordMin, UserLimits.PasswordMax)] string? AdminPassword,
    [property: MaxLength(UserLimits.DisplayName)] string? AdminName = null);

/// <summary>The operator's identity verification: approve (optionally with the roles granted; default: those requested) or reject with a reason.</summary>
public sealed record VerificationRequest(bool? Approve, [property: MaxLength(ParticipantLimits.Roles), OneOf(typeof(Role), nameof(Role.System))] IReadOnlyList<string>? Roles = null,
    [property: MaxLength(ParticipantLimits.Reason)] string? Reason = null);

public sealed record RoleRequest([property: OneOf(typeof(Role), nameof(Domain.Common.Role.System))] string? Role);
public sealed record SuspensionRequest([property: MaxLength(ParticipantLimits.Reason)] string? Reason);

/// <summary>An ECDSA P-256 public key, as PEM or base64 SubjectPublicKeyInfo. Once registered, the participant's commands must be signed.</summary>
public sealed record SigningKeyRequest([property: MaxLength(ParticipantLimits.PublicKey)] string? PublicKey);

public sealed record CreateUserRequest([property: RegularExpression(UserLimits.LoginPattern)] string? Login, [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? ParticipantId,
    [property: MaxLength(UserLimits.DisplayName)] string? DisplayName, [property: Length(UserLimits.PasswordMin, UserLimits.PasswordMax)] string? Password);
public sealed record PasswordRequest([property: Length(UserLimits.PasswordMin, UserLimits.PasswordMax)] string? Password);
public sealed record DisableUserRequest([property: MaxLength(UserLimits.Reason)] string? Reason);
