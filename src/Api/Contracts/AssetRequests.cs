namespace AssetLedger.Api.Contracts;

/// <summary>
/// Registers an asset. Common: kind, ownerId. WarehouseReceipt: warehouseId, receiptNumber, commodity, quantity, unit.
/// Receivable: debtorId, billNumber, amount, currency, dueDate. Intangible: title, contentSha256, mediaType.
/// Decimals are strings ("1200.5"), never numbers.
/// </summary>
public sealed record RegisterAssetRequest(
    string? Kind, string? OwnerId,
    string? WarehouseId = null, string? ReceiptNumber = null, string? Commodity = null, string? Quantity = null, string? Unit = null,
    string? DebtorId = null, string? BillNumber = null, string? Amount = null, string? Currency = null, string? DueDate = null,
    string? Title = null, string? ContentSha256 = null, string? MediaType = null, string? Description = null);

/// <summary>A required confirmer approves (确权) or rejects the asset.</summary>
public sealed record ConfirmationRequest(bool? Approve, string? Comment = null);

/// <summary>New values for the fields that may change; omitted fields keep their value. Quantity needs its unit, amount its currency.</summary>
public sealed record AmendmentRequest(
    string? Commodity = null, string? Quantity = null, string? Unit = null, string? Amount = null, string? Currency = null,
    string? DueDate = null, string? Title = null, string? MediaType = null, string? Description = null,
    string? WarehouseId = null, string? ReceiptNumber = null, string? DebtorId = null, string? BillNumber = null, string? ContentSha256 = null);

public sealed record TransferOfferRequest(string? ToId);

/// <summary>Transfer out to a venue: a TradingCenter for Trade, a FinancialInstitution for Financing (pledge).</summary>
public sealed record TransferOutRequest(string? VenueId, string? Purpose);

/// <summary>The venue returns the asset, to its owner or (sold, enforced) to a new owner.</summary>
public sealed record ReturnRequest(string? NewOwnerId = null);

/// <summary>Freeze by a regulator or court. authority: Judicial or Regulatory (default). freezeId is generated when omitted.</summary>
public sealed record FreezeRequest(string? Reason, string? Authority = null, string? FreezeId = null);

public sealed record UnfreezeRequest(string? FreezeId, string? Reason = null);

public sealed record CancelRequest(string? Reason);

/// <summary>Evidence by hash: the document itself stays with its holder.</summary>
public sealed record EvidenceRequest(string? Sha256, string? MediaType, string? Description = null);

/// <summary>The operator onboards a verified participant directly. creditCode: the 18-character unified social credit code.</summary>
public sealed record RegisterParticipantRequest(string? Id, string? Name, IReadOnlyList<string>? Roles, string? CreditCode = null, string? Contact = null);

/// <summary>An organisation applies (no login yet): its participant details, and the first user who will log in for it.</summary>
public sealed record ParticipantApplicationRequest(string? Id, string? Name, string? CreditCode, string? Contact, IReadOnlyList<string>? Roles,
    string? AdminLogin, string? AdminPassword, string? AdminName = null);

/// <summary>The operator's identity verification: approve (optionally with the roles granted; default: those requested) or reject with a reason.</summary>
public sealed record VerificationRequest(bool? Approve, IReadOnlyList<string>? Roles = null, string? Reason = null);

public sealed record RoleRequest(string? Role);
public sealed record SuspensionRequest(string? Reason);

/// <summary>An ECDSA P-256 public key, as PEM or base64 SubjectPublicKeyInfo. Once registered, the participant's commands must be signed.</summary>
public sealed record SigningKeyRequest(string? PublicKey);

public sealed record CreateUserRequest(string? Login, string? ParticipantId, string? DisplayName, string? Password);
public sealed record PasswordRequest(string? Password);
public sealed record DisableUserRequest(string? Reason);
