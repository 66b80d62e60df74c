using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Registrations;

/// <summary>
/// Whether a recorded registration event was one the rules allowed: the command it implies is decided again by
/// <see cref="RegistrationDecider"/> in the state before it, by its actor with the roles it held, and must give exactly
/// the recorded event. Whether a collateral asset existed is not in the registration's stream: a verifier that holds
/// the asset's history says so through <paramref name="assetExists"/>; by default the recorded event's claim is taken.
/// </summary>
public static class RegistrationAdmissibility
{
    /// <param name="actorCreditCode">The actor's unified social credit code as its participant stream stood (a dispute's capacity is judged by it).</param>
    public static DomainError? Check(RegistrationState before, IRegistrationEvent recorded, Actor actor, Func<AssetId, bool>? assetExists = null, string? actorCreditCode = null)
    {
        if (before.Exists && recorded.Registration != before.Id) return Inadmissible($"the event names registration {recorded.Registration}, its stream holds {before.Id}");
        var decision = RegistrationDecider.Decide(before, ImpliedCommand(before, recorded, actor, assetExists ?? (_ => true), actorCreditCode));
        if (decision.Error is { } refused) return refused with { Message = $"the rules refuse it: {refused.Message}" };
        if (decision.Events is not [var decided] || !decided.Equals(recorded))
            return Inadmissible("the rules decide other data for this command, not the recorded event");
        return null;
    }

    public static IRegistrationCommand ImpliedCommand(RegistrationState before, IRegistrationEvent e, Actor actor, Func<AssetId, bool> assetExists, string? actorCreditCode = null) => e switch
    {
        RegistrationMade m => new MakeRegistration(m.Registration, m.Number, m.Debtor, m.Collateral, m.TermMonths, m.Collateral.Asset is not { } a || assetExists(a), actor, m.At),
        RegistrationAmended a => new AmendRegistration(a.Registration, a.Debtor, a.CollateralDescription, actor, a.At),
        RegistrationExtended x => new ExtendRegistration(x.Registration, x.TermMonths, actor, x.At),
        RegistrationDisputed d => new DisputeRegistration(d.Registration, d.Capacity, d.Reason, actor, d.At, actorCreditCode),
        DisputeCourtCaseAdded c => new AddCourtCase(c.Registration, c.CaseNumber, actor, c.At),
        RegistrationCancelled c => new CancelRegistration(c.Registration, c.Reason, c.CourtOrder, actor, c.At),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "No command implies this event."),
    };

    static DomainError Inadmissible(string why) => new("event.inadmissible", why, ErrorKind.Invalid);
}
