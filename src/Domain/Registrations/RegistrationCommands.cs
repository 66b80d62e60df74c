using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Registrations;

public interface IRegistrationCommand
{
    RegistrationId Registration { get; }
    Actor Actor { get; }
    DateTimeOffset At { get; }
}

/// <param name="Number">The registration number the service assigned (RG-YYYYMMDD-NNNNNNNN, the day of <paramref name="At"/>).</param>
/// <param name="AssetExists">Whether the collateral asset is in the registry, as the service found it (ignored for described collateral).</param>
public sealed record MakeRegistration(RegistrationId Registration, string Number, DebtorParty Debtor, Collateral Collateral, int TermMonths, bool AssetExists,
    Actor Actor, DateTimeOffset At) : IRegistrationCommand;
/// <param name="CollateralDescription">The new description (null: unchanged); an asset's registration has none.</param>
public sealed record AmendRegistration(RegistrationId Registration, DebtorParty? Debtor, string? CollateralDescription, Actor Actor, DateTimeOffset At) : IRegistrationCommand;
public sealed record ExtendRegistration(RegistrationId Registration, int TermMonths, Actor Actor, DateTimeOffset At) : IRegistrationCommand;
/// <param name="DisputerCreditCode">The disputer's unified social credit code as the registry holds it (its participant record), which the
/// capacity it claims is checked against; null when it registered none.</param>
public sealed record DisputeRegistration(RegistrationId Registration, DisputeCapacity Capacity, string Reason, Actor Actor, DateTimeOffset At,
    string? DisputerCreditCode = null) : IRegistrationCommand;
public sealed record AddCourtCase(RegistrationId Registration, string CaseNumber, Actor Actor, DateTimeOffset At) : IRegistrationCommand;
/// <param name="CourtOrder">The court order's case number; required when a regulator cancels, absent when the registrant does.</param>
public sealed record CancelRegistration(RegistrationId Registration, string Reason, string? CourtOrder, Actor Actor, DateTimeOffset At) : IRegistrationCommand;
