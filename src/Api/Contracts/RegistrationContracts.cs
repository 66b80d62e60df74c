using System.ComponentModel.DataAnnotations;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Registrations;

namespace AssetLedger.Api.Contracts;

/// <summary>The debtor (担保人): its name and unified social credit code.</summary>
public sealed record DebtorRequest([property: MaxLength(RegistrationLimits.Name)] string? Name,
    [property: MaxLength(18), RegularExpression(CreditCode.Pattern)] string? CreditCode);

/// <summary>An asset of this registry (kind RegistryAsset, assetId), or a description of collateral outside it (Receivables, Equipment, Other).</summary>
public sealed record CollateralRequest([property: OneOf("RegistryAsset", "Receivables", "Equipment", "Other")] string? Kind,
    [property: MaxLength(36), RegularExpression("^[0-9a-fA-F-]{32,36}$")] string? AssetId = null,
    [property: MaxLength(RegistrationLimits.Description)] string? Description = null);

/// <summary>An initial registration (初始登记) by the calling participant as secured party, for 1 month to 30 years.</summary>
public sealed record MakeRegistrationRequest(DebtorRequest? Debtor, CollateralRequest? Collateral,
    [property: Range(RegistrationLimits.MinTermMonths, RegistrationLimits.MaxTermMonths)] int? TermMonths);

/// <summary>An amendment (变更登记): the debtor's particulars, or the description of described collateral; omit what stays.</summary>
public sealed record AmendRegistrationRequest(DebtorRequest? Debtor = null, [property: MaxLength(RegistrationLimits.Description)] string? CollateralDescription = null);

/// <summary>An extension (展期) before expiry: months added to the current expiry.</summary>
public sealed record ExtendRegistrationRequest([property: Range(RegistrationLimits.MinTermMonths, RegistrationLimits.MaxTermMonths)] int? TermMonths);

/// <summary>A dispute (异议) by the debtor or an interested party; it lapses after 30 days unless a court case is added.</summary>
public sealed record DisputeRegistrationRequest([property: OneOf("Debtor", "InterestedParty")] string? Capacity, [property: MaxLength(RegistrationLimits.Reason)] string? Reason);

/// <summary>The court case the disputer brought.</summary>
public sealed record CourtCaseRequest([property: MaxLength(RegistrationLimits.CaseNumber)] string? CaseNumber);

/// <summary>A cancellation (注销): by the registrant (no courtOrder), or by a regulator naming the court order's case number.</summary>
public sealed record CancelRegistrationRequest([property: MaxLength(RegistrationLimits.Reason)] string? Reason, [property: MaxLength(RegistrationLimits.CaseNumber)] string? CourtOrder = null);

/// <summary>A registration command's answer: the registration, its number, its stream version and the appended events.</summary>
public sealed record RegistrationResult(string RegistrationId, string Number, long Version, DateTimeOffset ExpiresAt, bool Cancelled, IReadOnlyList<AppendedEventView> Events);
