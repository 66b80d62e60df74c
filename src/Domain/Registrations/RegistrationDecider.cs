using System.Text.RegularExpressions;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using Decision = AssetLedger.Domain.Common.Decision<AssetLedger.Domain.Registrations.IRegistrationEvent>;

namespace AssetLedger.Domain.Registrations;

/// <summary>
/// A security-interest registration (动产和权利担保登记) as one pure function. Guards in a fixed order: existence,
/// cancelled, expired, actor, then the command's own values. Expiry and a dispute's lapse are judged against the
/// command's time, so no timer event is needed and a replay decides exactly as the service did.
/// </summary>
public static partial class RegistrationDecider
{
    public static Decision Decide(RegistrationState s, IRegistrationCommand command)
    {
        if (command.Actor.Has(Role.System)) return RegistrationErrors.NotPermitted(command.Actor.Id, "registrations are made and changed by participants.");
        if (command is MakeRegistration make) return Make(s, make);
        if (!s.Exists) return RegistrationErrors.NotFound(command.Registration);
        if (s.Cancelled) return RegistrationErrors.Cancelled(s.Number);
        if (s.ExpiredAt(command.At)) return RegistrationErrors.Expired(s.Number, s.ExpiresAt);
        return command switch
        {
            AmendRegistration c => Amend(s, c),
            ExtendRegistration c => Extend(s, c),
            DisputeRegistration c => Disputed(s, c),
            AddCourtCase c => CourtCase(s, c),
            CancelRegistration c => Cancel(s, c),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "No decision for this command."),
        };
    }

    static Decision Make(RegistrationState s, MakeRegistration c)
    {
        if (s.Exists) return RegistrationErrors.AlreadyExists(c.Registration);
        if (c.Number is null || !NumberShape().IsMatch(c.Number) || c.Number[3..11] != c.At.UtcDateTime.ToString("yyyyMMdd"))
            return RegistrationErrors.Invalid("number", "A registration number is RG-YYYYMMDD-NNNNNNNN, dated the day it is made.");
        if (DebtorError(c.Debtor) is { } debtor) return debtor;
        if (c.Collateral is null) return RegistrationErrors.Invalid("collateral", "collateral is required: an asset of this registry or a description.");
        if (c.Collateral.Kind == CollateralKind.RegistryAsset)
        {
            if (c.Collateral.Asset is null) return RegistrationErrors.Invalid("collateral.assetId", "Collateral of kind RegistryAsset names the asset by its id.");
            if (c.Collateral.Description is not null) return RegistrationErrors.Invalid("collateral.description", "An asset of this registry is described by its own record; give no description.");
            if (!c.AssetExists) return RegistrationErrors.UnknownAsset(c.Collateral.Asset.Value);
        }
        else
        {
            if (c.Collateral.Asset is not null) return RegistrationErrors.Invalid("collateral.assetId", $"Collateral of kind {c.Collateral.Kind} is described, not an asset of this registry.");
            if (TextError(c.Collateral.Description, "collateral.description", RegistrationLimits.Description) is { } e) return e;
        }
        if (TermError(c.TermMonths) is { } term) return term;
        var collateral = c.Collateral with { Description = c.Collateral.Description?.Trim() };
        return Decision.Of(new RegistrationMade(c.Registration, c.Number, c.Actor.Id, Normalised(c.Debtor!), collateral, c.TermMonths,
            c.At.AddMonths(c.TermMonths), c.Actor.Id, c.At));
    }

    static Decision Amend(RegistrationState s, AmendRegistration c)
    {
        if (c.Actor.Id != s.Registrant) return RegistrationErrors.NotRegistrant(c.Actor.Id, "amend");
        if (c.Debtor is not null && DebtorError(c.Debtor) is { } debtor) return debtor;
        if (c.CollateralDescription is not null)
        {
            if (s.Collateral!.Kind == CollateralKind.RegistryAsset)
                return RegistrationErrors.Invalid("collateralDescription", "The collateral is an asset of this registry; its record describes it.");
            if (TextError(c.CollateralDescription, "collateralDescription", RegistrationLimits.Description) is { } e) return e;
        }
        var debtorNow = c.Debtor is null ? s.Debtor! : Normalised(c.Debtor);
        var description = c.CollateralDescription?.Trim();
        if (debtorNow == s.Debtor && (description is null || description == s.Collateral!.Description)) return RegistrationErrors.NoChange();
        return Decision.Of(new RegistrationAmended(s.Id, debtorNow, description, c.Actor.Id, c.At));
    }

    static Decision Extend(RegistrationState s, ExtendRegistration c)
    {
        if (c.Actor.Id != s.Registrant) return RegistrationErrors.NotRegistrant(c.Actor.Id, "extend");
        if (TermError(c.TermMonths) is { } term) return term;
        var expires = s.ExpiresAt.AddMonths(c.TermMonths);
        // Whatever the extensions, what remains is never more than the longest term one registration may have.
        if (expires > c.At.AddMonths(RegistrationLimits.MaxTermMonths))
            return RegistrationErrors.Invalid("termMonths", $"The registration would run until {expires:yyyy-MM-dd}, more than {RegistrationLimits.MaxTermMonths / 12} years from now.");
        return Decision.Of(new RegistrationExtended(s.Id, c.TermMonths, expires, c.Actor.Id, c.At));
    }

    static Decision Disputed(RegistrationState s, DisputeRegistration c)
    {
        if (c.Actor.Id == s.Registrant) return RegistrationErrors.NotPermitted(c.Actor.Id, "the registrant amends or cancels its own registration; it does not dispute it.");
        if (s.Dispute is { } open && open.StandsAt(c.At)) return RegistrationErrors.AlreadyDisputed(s.Number, open.By);
        if (!Enum.IsDefined(c.Capacity)) return RegistrationErrors.Invalid("capacity", "capacity is Debtor or InterestedParty.");
        // The capacity claimed is who the disputer is: the debtor is the participant whose credit code the registration names.
        var isDebtor = c.DisputerCreditCode is { } code && code == s.Debtor!.CreditCode;
        if (c.Capacity == DisputeCapacity.Debtor && !isDebtor) return RegistrationErrors.NotDebtor(c.Actor.Id, s.Number, s.Debtor!.CreditCode);
        if (c.Capacity == DisputeCapacity.InterestedParty && isDebtor)
            return RegistrationErrors.Invalid("capacity", $"{c.Actor.Id} is the debtor registration {s.Number} names: it disputes in the capacity Debtor.");
        if (TextError(c.Reason, "reason", RegistrationLimits.Reason) is { } e) return e;
        return Decision.Of(new RegistrationDisputed(s.Id, c.Capacity, c.Reason.Trim(), c.At + RegistrationLimits.DisputeLapse, c.Actor.Id, c.At));
    }

    static Decision CourtCase(RegistrationState s, AddCourtCase c)
    {
        if (s.Dispute is not { } d || !d.StandsAt(c.At)) return RegistrationErrors.NoDispute(s.Number);
        if (c.Actor.Id != d.By) return RegistrationErrors.NotPermitted(c.Actor.Id, $"the court case is added by the party that disputed ({d.By}).");
        if (d.CourtCase is not null) return RegistrationErrors.CourtCaseExists(d.CourtCase);
        if (TextError(c.CaseNumber, "caseNumber", RegistrationLimits.CaseNumber) is { } e) return e;
        return Decision.Of(new DisputeCourtCaseAdded(s.Id, c.CaseNumber.Trim(), c.Actor.Id, c.At));
    }

    static Decision Cancel(RegistrationState s, CancelRegistration c)
    {
        if (c.Actor.Id == s.Registrant)
        {
            if (c.CourtOrder is not null) return RegistrationErrors.Invalid("courtOrder", "The registrant cancels on its own account; a court order is carried out by a regulator.");
        }
        else if (!c.Actor.Has(Role.Regulator))
            return RegistrationErrors.NotPermitted(c.Actor.Id, "a registration is cancelled by its registrant, or by a regulator on a court's order.");
        else if (TextError(c.CourtOrder, "courtOrder", RegistrationLimits.CaseNumber) is { } order)
            return order with { Message = "A regulator cancels another's registration only on a court's order: courtOrder names its case number (at most 100 characters)." };
        if (TextError(c.Reason, "reason", RegistrationLimits.Reason) is { } e) return e;
        return Decision.Of(new RegistrationCancelled(s.Id, c.Reason.Trim(), c.CourtOrder?.Trim(), c.Actor.Id, c.At));
    }

    static DomainError? DebtorError(DebtorParty? d)
    {
        if (d is null) return RegistrationErrors.Invalid("debtor", "debtor is required: its name and unified social credit code.");
        if (TextError(d.Name, "debtor.name", RegistrationLimits.Name) is { } e) return e;
        if (!CreditCode.IsValid(d.CreditCode))
            return RegistrationErrors.Invalid("debtor.creditCode", "debtor.creditCode is an 18-character unified social credit code (GB 32100-2015) with a valid check character.");
        return null;
    }

    static DomainError? TermError(int months) =>
        months is < RegistrationLimits.MinTermMonths or > RegistrationLimits.MaxTermMonths
            ? RegistrationErrors.Invalid("termMonths", $"termMonths is {RegistrationLimits.MinTermMonths} to {RegistrationLimits.MaxTermMonths} (1 month to 30 years).")
            : null;

    static DomainError? TextError(string? text, string field, int max) =>
        string.IsNullOrWhiteSpace(text) ? RegistrationErrors.Invalid(field, $"{field} is required.")
        : text.Trim().Length > max ? RegistrationErrors.Invalid(field, $"{field} is at most {max} characters.")
        : null;

    static DebtorParty Normalised(DebtorParty d) => new(d.Name.Trim(), d.CreditCode);

    [GeneratedRegex(RegistrationLimits.NumberPattern)]
    private static partial Regex NumberShape();
}

public static class RegistrationErrors
{
    public static DomainError Invalid(string field, string message) => new("registration.invalid", message, ErrorKind.Invalid, field);
    public static DomainError NotFound(RegistrationId id) => new("registration.not_found", $"There is no registration {id}.", ErrorKind.NotFound);
    public static DomainError AlreadyExists(RegistrationId id) => new("registration.already_exists", $"Registration {id} already exists; use a new id.", ErrorKind.Conflict);
    public static DomainError NumberTaken(string number) => new("registration.number_taken", $"The registration number {number} is taken; retry.", ErrorKind.Conflict);
    public static DomainError UnknownAsset(AssetId asset) => new("registration.unknown_asset", $"collateral.assetId {asset} is not an asset of this registry; describe collateral outside it instead.", ErrorKind.Invalid, "collateral.assetId");
    public static DomainError NotRegistrant(ParticipantId actor, string action) => new("registration.not_registrant", $"Only the registrant may {action} a registration; {actor} is not its registrant.", ErrorKind.Forbidden);
    public static DomainError NotDebtor(ParticipantId actor, string number, string debtorCode) => new("registration.not_debtor",
        $"{actor} disputes registration {number} as its debtor, but its unified social credit code is not the debtor's ({debtorCode}); dispute as an InterestedParty.", ErrorKind.Forbidden, "capacity");
    public static DomainError NotPermitted(ParticipantId actor, string why) => new("registration.not_permitted", $"{actor} may not do this: {why}", ErrorKind.Forbidden);
    public static DomainError Cancelled(string number) => new("registration.cancelled", $"Registration {number} is cancelled and accepts no further command.", ErrorKind.Conflict);
    public static DomainError Expired(string number, DateTimeOffset at) => new("registration.expired", $"Registration {number} expired at {at:O}; an extension must come before expiry. Make a new registration.", ErrorKind.Conflict);
    public static DomainError AlreadyDisputed(string number, ParticipantId by) => new("registration.disputed", $"Registration {number} is already disputed by {by}; one dispute stands at a time.", ErrorKind.Conflict);
    public static DomainError NoDispute(string number) => new("registration.no_dispute", $"Registration {number} has no standing dispute (none was recorded, or it lapsed after 30 days without a court case).", ErrorKind.Conflict);
    public static DomainError CourtCaseExists(string caseNumber) => new("registration.court_case_exists", $"The dispute already names court case {caseNumber}.", ErrorKind.Conflict);
    public static DomainError NoChange() => new("registration.no_change", "The amendment changes nothing.", ErrorKind.Invalid);
}
