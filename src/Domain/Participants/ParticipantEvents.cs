using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Participants;

/// <summary>A fact in a participant's history (stream <c>participant-{id}</c>).</summary>
public interface IParticipantEvent
{
    ParticipantId Participant { get; }
    DateTimeOffset At { get; }
}

/// <summary>The operator onboards a participant directly: verified from the start.</summary>
[StoredEvent("participant-registered")]
public sealed record ParticipantRegistered(ParticipantId Participant, string Name, IReadOnlyList<Role> Roles, ParticipantId By, DateTimeOffset At,
    string? CreditCode = null, string? Contact = null) : IParticipantEvent;

/// <summary>An organisation applies to take part, with its unified social credit code (统一社会信用代码) and the roles it asks for.</summary>
[StoredEvent("participant-applied")]
public sealed record ParticipantApplied(ParticipantId Participant, string Name, string CreditCode, string Contact, IReadOnlyList<Role> RequestedRoles, DateTimeOffset At) : IParticipantEvent;

/// <summary>The operator has verified the applicant's identity and grants it these roles.</summary>
[StoredEvent("participant-verified")]
public sealed record ParticipantVerified(ParticipantId Participant, IReadOnlyList<Role> Roles, ParticipantId By, DateTimeOffset At) : IParticipantEvent;

[StoredEvent("participant-rejected")]
public sealed record ParticipantRejected(ParticipantId Participant, string Reason, ParticipantId By, DateTimeOffset At) : IParticipantEvent;

[StoredEvent("participant-role-granted")]
public sealed record ParticipantRoleGranted(ParticipantId Participant, Role Role, ParticipantId By, DateTimeOffset At) : IParticipantEvent;

[StoredEvent("participant-role-revoked")]
public sealed record ParticipantRoleRevoked(ParticipantId Participant, Role Role, ParticipantId By, DateTimeOffset At) : IParticipantEvent;

[StoredEvent("participant-suspended")]
public sealed record ParticipantSuspended(ParticipantId Participant, string Reason, ParticipantId By, DateTimeOffset At) : IParticipantEvent;

[StoredEvent("participant-reinstated")]
public sealed record ParticipantReinstated(ParticipantId Participant, ParticipantId By, DateTimeOffset At) : IParticipantEvent;

/// <summary>The participant's ECDSA P-256 public key (SubjectPublicKeyInfo, base64) for signed commands; from now on its commands must be signed.</summary>
[StoredEvent("participant-signing-key-registered")]
public sealed record ParticipantSigningKeyRegistered(ParticipantId Participant, string KeyId, string PublicKeySpki, ParticipantId By, DateTimeOffset At) : IParticipantEvent;

public static class ParticipantEventTypes
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(ParticipantRegistered), typeof(ParticipantApplied), typeof(ParticipantVerified), typeof(ParticipantRejected),
        typeof(ParticipantRoleGranted), typeof(ParticipantRoleRevoked), typeof(ParticipantSuspended), typeof(ParticipantReinstated),
        typeof(ParticipantSigningKeyRegistered),
    ];
}
