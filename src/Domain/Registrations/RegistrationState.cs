using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Registrations;

/// <summary>An open or recorded dispute; whether it still stands depends on the time asked (<see cref="StandsAt"/>).</summary>
public sealed record Dispute(ParticipantId By, DisputeCapacity Capacity, string Reason, DateTimeOffset At, DateTimeOffset LapsesAt, string? CourtCase)
{
    /// <summary>A dispute with a court case stands until the registration ends; without one it lapses at <see cref="LapsesAt"/>.</summary>
    public bool StandsAt(DateTimeOffset now) => CourtCase is not null || now < LapsesAt;
}

/// <summary>A registration folded from its events. Expiry and a dispute's lapse are decided by the time asked, not by events.</summary>
public sealed record RegistrationState
{
    public static readonly RegistrationState Initial = new();

    public RegistrationId Id { get; init; }
    public string Number { get; init; } = "";
    public ParticipantId Registrant { get; init; }
    public DebtorParty? Debtor { get; init; }
    public Collateral? Collateral { get; init; }
    public DateTimeOffset MadeAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public Dispute? Dispute { get; init; }
    public bool Cancelled { get; init; }
    public long Version { get; init; }
    public bool Exists => Version > 0;

    public bool ExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>In force (有效): made, not cancelled, not expired.</summary>
    public bool InForceAt(DateTimeOffset now) => Exists && !Cancelled && !ExpiredAt(now);

    public static RegistrationState From(IEnumerable<IRegistrationEvent> events) => events.Aggregate(Initial, Evolve);

    public static RegistrationState Evolve(RegistrationState s, IRegistrationEvent e) => (e switch
    {
        RegistrationMade m => s with { Id = m.Registration, Number = m.Number, Registrant = m.Registrant, Debtor = m.Debtor, Collateral = m.Collateral, MadeAt = m.At, ExpiresAt = m.ExpiresAt },
        RegistrationAmended a => s with { Debtor = a.Debtor, Collateral = s.Collateral! with { Description = a.CollateralDescription ?? s.Collateral.Description } },
        RegistrationExtended x => s with { ExpiresAt = x.ExpiresAt },
        RegistrationDisputed d => s with { Dispute = new Dispute(d.By, d.Capacity, d.Reason, d.At, d.LapsesAt, null) },
        DisputeCourtCaseAdded c => s with { Dispute = s.Dispute! with { CourtCase = c.CaseNumber } },
        RegistrationCancelled => s with { Cancelled = true },
        _ => throw new InvalidOperationException($"No fold for {e.GetType().Name}."),
    }) with { Version = s.Version + 1 };
}
