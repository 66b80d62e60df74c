using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Participants;

/// <summary>
/// Participant management as pure decisions: the operator onboards or verifies organisations, grants and revokes
/// roles, suspends and reinstates; an organisation applies for itself and registers its own signing key.
/// </summary>
public static class ParticipantDecider
{
    public static string StreamOf(ParticipantId id) => $"participant-{id.Value}";

    static readonly Role[] Grantable = [Role.Owner, Role.TradingCenter, Role.Warehouse, Role.FinancialInstitution, Role.Debtor, Role.Regulator, Role.Logistics, Role.Operator];

    public static Decision<IParticipantEvent> Decide(ParticipantState s, IParticipantCommand command)
    {
        var c = command;
        if (c is ApplyAsParticipant apply) return Apply(s, apply);
        if (c is RegisterParticipant register) return Register(s, register);
        if (!s.Exists) return Fail(ParticipantErrors.NotFound(c.Participant));
        if (c is RegisterSigningKey key) return SigningKey(s, key);
        if (!c.Actor.Has(Role.Operator)) return Fail(ParticipantErrors.NotOperator(c.Actor.Id));
        switch (c)
        {
            case VerifyParticipant v:
                if (s.Status != ParticipantStatus.Applied) return Fail(ParticipantErrors.WrongStatus(s, "verify", "Applied"));
                var roles = v.Roles is { Count: > 0 } given ? given : s.RequestedRoles.ToList();
                if (RolesError(roles) is { } bad) return Fail(bad);
                return Ok(new ParticipantVerified(s.Id, roles.Distinct().Order().ToList(), c.Actor.Id, c.At));
            case RejectParticipant r:
                if (s.Status != ParticipantStatus.Applied) return Fail(ParticipantErrors.WrongStatus(s, "reject", "Applied"));
                if (ReasonError(r.Reason) is { } badReason) return Fail(badReason);
                return Ok(new ParticipantRejected(s.Id, r.Reason, c.Actor.Id, c.At));
            case GrantRole g:
                if (s.Status != ParticipantStatus.Verified) return Fail(ParticipantErrors.WrongStatus(s, "grant a role", "Verified"));
                if (RolesError([g.Role]) is { } badRole) return Fail(badRole);
                if (s.Roles.Contains(g.Role)) return Fail(ParticipantErrors.RoleHeld(s.Id, g.Role));
                return Ok(new ParticipantRoleGranted(s.Id, g.Role, c.Actor.Id, c.At));
            case RevokeRole rv:
                if (!s.Roles.Contains(rv.Role)) return Fail(ParticipantErrors.RoleNotHeld(s.Id, rv.Role));
                if (s.Roles.Count == 1) return Fail(ParticipantErrors.Invalid("role", "A participant keeps at least one role; suspend it instead."));
                return Ok(new ParticipantRoleRevoked(s.Id, rv.Role, c.Actor.Id, c.At));
            case SuspendParticipant su:
                if (s.Status != ParticipantStatus.Verified) return Fail(ParticipantErrors.WrongStatus(s, "suspend", "Verified"));
                if (s.Suspended) return Fail(new DomainError("participant.already_suspended", $"{s.Id} is already suspended.", ErrorKind.Conflict));
                if (s.Id == c.Actor.Id) return Fail(ParticipantErrors.Invalid("id", "The operator cannot suspend itself."));
                if (ReasonError(su.Reason) is { } badSuspension) return Fail(badSuspension);
                return Ok(new ParticipantSuspended(s.Id, su.Reason, c.Actor.Id, c.At));
            case ReinstateParticipant:
                if (!s.Suspended) return Fail(new DomainError("participant.not_suspended", $"{s.Id} is not suspended.", ErrorKind.Conflict));
                return Ok(new ParticipantReinstated(s.Id, c.Actor.Id, c.At));
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "No decision for this command.");
        }
    }

    /// <summary>Kept for the operator's direct onboarding path.</summary>
    public static Decision<IParticipantEvent> Register(ParticipantState s, RegisterParticipant c)
    {
        if (!c.Actor.Has(Role.Operator)) return Fail(ParticipantErrors.NotOperator(c.Actor.Id));
        if (IdError(c.Participant) is { } badId) return Fail(badId);
        if (NameError(c.Name) is { } badName) return Fail(badName);
        if (c.CreditCode is not null && !CreditCode.IsValid(c.CreditCode)) return Fail(CreditCodeError());
        if (c.Contact is { Length: > ParticipantLimits.Contact }) return Fail(ParticipantErrors.Invalid("contact", $"contact is at most {ParticipantLimits.Contact} characters."));
        if (RolesError(c.Roles) is { } badRoles) return Fail(badRoles);
        if (s.Exists) return Fail(ParticipantErrors.Exists(c.Participant));
        return Ok(new ParticipantRegistered(c.Participant, c.Name.Trim(), c.Roles.Distinct().Order().ToList(), c.Actor.Id, c.At, c.CreditCode, c.Contact));
    }

    static Decision<IParticipantEvent> Apply(ParticipantState s, ApplyAsParticipant c)
    {
        if (IdError(c.Participant) is { } badId) return Fail(badId);
        if (NameError(c.Name) is { } badName) return Fail(badName);
        if (!CreditCode.IsValid(c.CreditCode)) return Fail(CreditCodeError());
        if (string.IsNullOrWhiteSpace(c.Contact) || c.Contact.Length > ParticipantLimits.Contact)
            return Fail(ParticipantErrors.Invalid("contact", $"contact is required (1–{ParticipantLimits.Contact} characters): a person, phone or e-mail."));
        if (RolesError(c.RequestedRoles) is { } badRoles) return Fail(badRoles);
        if (c.RequestedRoles.Contains(Role.Operator) || c.RequestedRoles.Contains(Role.Regulator))
            return Fail(ParticipantErrors.Invalid("roles", "Operator and Regulator roles are granted by the operator, not applied for."));
        // A rejected application frees its id (its users were released first), so the organisation may apply again.
        if (s.Exists && s.Status != ParticipantStatus.Rejected) return Fail(ParticipantErrors.Exists(c.Participant));
        return Ok(new ParticipantApplied(c.Participant, c.Name.Trim(), c.CreditCode, c.Contact.Trim(), c.RequestedRoles.Distinct().Order().ToList(), c.At));
    }

    static Decision<IParticipantEvent> SigningKey(ParticipantState s, RegisterSigningKey c)
    {
        if (c.Actor.Id != s.Id && !c.Actor.Has(Role.Operator))
            return Fail(new DomainError("participant.not_permitted", $"Only {s.Id} itself or the operator registers its signing key.", ErrorKind.Forbidden));
        if (s.Status != ParticipantStatus.Verified) return Fail(ParticipantErrors.WrongStatus(s, "register a signing key", "Verified"));
        if (string.IsNullOrWhiteSpace(c.PublicKeySpki) || string.IsNullOrWhiteSpace(c.KeyId) || c.PublicKeySpki.Length > ParticipantLimits.PublicKey)
            return Fail(ParticipantErrors.Invalid("publicKey", "publicKey must be an ECDSA P-256 public key."));
        return Ok(new ParticipantSigningKeyRegistered(s.Id, c.KeyId, c.PublicKeySpki, c.Actor.Id, c.At));
    }

    static DomainError? IdError(ParticipantId id) => !ParticipantId.IsWellFormed(id.Value) || id == ParticipantId.System
        ? ParticipantErrors.Invalid("id", "id must be 1–64 characters of lower-case letters, digits, '-', '_' or '.', and not 'system'.") : null;

    static DomainError? NameError(string? name) => string.IsNullOrWhiteSpace(name) || name.Length > ParticipantLimits.Name
        ? ParticipantErrors.Invalid("name", $"name is required (1–{ParticipantLimits.Name} characters).") : null;

    static DomainError? ReasonError(string? reason) => string.IsNullOrWhiteSpace(reason) || reason.Length > ParticipantLimits.Reason
        ? ParticipantErrors.Invalid("reason", $"A reason (1–{ParticipantLimits.Reason} characters) is required.") : null;

    static DomainError CreditCodeError() => ParticipantErrors.Invalid("creditCode",
        "creditCode must be an 18-character unified social credit code (统一社会信用代码) whose last character is its GB 32100 check character.");

    static DomainError? RolesError(IReadOnlyCollection<Role> roles)
    {
        if (roles.Count == 0) return ParticipantErrors.Invalid("roles", "At least one role is required.");
        if (roles.Count > ParticipantLimits.Roles) return TooManyRoles;
        if (roles.Any(r => !Grantable.Contains(r))) return ParticipantErrors.Invalid("roles", "The System role belongs to the registry itself and cannot be granted.");
        return null;
    }

    /// <summary>Also what the Api answers, before parsing, to a longer list.</summary>
    public static readonly DomainError TooManyRoles = ParticipantErrors.Invalid("roles", $"roles lists at most {ParticipantLimits.Roles} roles, each once.");

    static Decision<IParticipantEvent> Ok(IParticipantEvent e) => Decision<IParticipantEvent>.Of(e);
    static Decision<IParticipantEvent> Fail(DomainError e) => e;
}

public static class ParticipantErrors
{
    public static DomainError Invalid(string field, string message) => new("participant.invalid", message, ErrorKind.Invalid, field);
    public static DomainError NotOperator(ParticipantId actor) => new("participant.not_operator", $"Only the platform operator does this; {actor} is not the operator.", ErrorKind.Forbidden);
    public static DomainError Exists(ParticipantId id) => new("participant.exists", $"Participant '{id}' is already registered; choose another id.", ErrorKind.Conflict);
    public static DomainError NotFound(ParticipantId id) => new("participant.not_found", $"Participant '{id}' is not registered.", ErrorKind.NotFound);
    public static DomainError WrongStatus(ParticipantState s, string action, string needed) =>
        new("participant.wrong_status", $"Cannot {action}: {s.Id} is {s.Status}, it must be {needed}.", ErrorKind.Conflict);
    public static DomainError RoleHeld(ParticipantId id, Role r) => new("participant.role_held", $"{id} already holds {r}.", ErrorKind.Conflict);
    public static DomainError RoleNotHeld(ParticipantId id, Role r) => new("participant.role_not_held", $"{id} does not hold {r}.", ErrorKind.Conflict);
}
