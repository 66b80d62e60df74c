using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Registrations;

/// <summary>A fact in a registration's history (stream <c>registration-{id}</c>).</summary>
public interface IRegistrationEvent
{
    RegistrationId Registration { get; }
    ParticipantId By { get; }
    DateTimeOffset At { get; }
}

/// <summary>An initial registration (初始登记): the registrant's security interest in the collateral, in force until <paramref name="ExpiresAt"/>.</summary>
[StoredEvent("registration-made")]
public sealed record RegistrationMade(RegistrationId Registration, string Number, ParticipantId Registrant, DebtorParty Debtor, Collateral Collateral,
    int TermMonths, DateTimeOffset ExpiresAt, ParticipantId By, DateTimeOffset At) : IRegistrationEvent;

/// <summary>An amendment (变更登记): the debtor's particulars or the collateral's description as they now read.</summary>
[StoredEvent("registration-amended")]
public sealed record RegistrationAmended(RegistrationId Registration, DebtorParty Debtor, string? CollateralDescription, ParticipantId By, DateTimeOffset At) : IRegistrationEvent;

/// <summary>An extension (展期登记) before expiry: the term grows by <paramref name="TermMonths"/> from the old expiry.</summary>
[StoredEvent("registration-extended")]
public sealed record RegistrationExtended(RegistrationId Registration, int TermMonths, DateTimeOffset ExpiresAt, ParticipantId By, DateTimeOffset At) : IRegistrationEvent;

/// <summary>A dispute (异议登记) by the debtor or an interested party; it lapses after 30 days unless a court case is added.</summary>
[StoredEvent("registration-disputed")]
public sealed record RegistrationDisputed(RegistrationId Registration, DisputeCapacity Capacity, string Reason, DateTimeOffset LapsesAt, ParticipantId By, DateTimeOffset At) : IRegistrationEvent;

/// <summary>The disputer names the court case it brought: the dispute no longer lapses.</summary>
[StoredEvent("registration-dispute-court-case-added")]
public sealed record DisputeCourtCaseAdded(RegistrationId Registration, string CaseNumber, ParticipantId By, DateTimeOffset At) : IRegistrationEvent;

/// <summary>A cancellation (注销登记) by the registrant, or by a regulator on a court's order (<paramref name="CourtOrder"/>).</summary>
[StoredEvent("registration-cancelled")]
public sealed record RegistrationCancelled(RegistrationId Registration, string Reason, string? CourtOrder, ParticipantId By, DateTimeOffset At) : IRegistrationEvent;

public static class RegistrationEventTypes
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(RegistrationMade), typeof(RegistrationAmended), typeof(RegistrationExtended), typeof(RegistrationDisputed),
        typeof(DisputeCourtCaseAdded), typeof(RegistrationCancelled),
    ];
}
