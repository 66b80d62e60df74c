using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Participants;

public interface IParticipantCommand
{
    ParticipantId Participant { get; }
    Actor Actor { get; }
    DateTimeOffset At { get; }
}

public sealed record RegisterParticipant(ParticipantId Participant, string Name, IReadOnlyList<Role> Roles, Actor Actor, DateTimeOffset At,
    string? CreditCode = null, string? Contact = null) : IParticipantCommand;
public sealed record ApplyAsParticipant(ParticipantId Participant, string Name, string CreditCode, string Contact, IReadOnlyList<Role> RequestedRoles, Actor Actor, DateTimeOffset At) : IParticipantCommand;
public sealed record VerifyParticipant(ParticipantId Participant, IReadOnlyList<Role>? Roles, Actor Actor, DateTimeOffset At) : IParticipantCommand;
public sealed record RejectParticipant(ParticipantId Participant, string Reason, Actor Actor, DateTimeOffset At) : IParticipantCommand;
public sealed record GrantRole(ParticipantId Participant, Role Role, Actor Actor, DateTimeOffset At) : IParticipantCommand;
public sealed record RevokeRole(ParticipantId Participant, Role Role, Actor Actor, DateTimeOffset At) : IParticipantCommand;
public sealed record SuspendParticipant(ParticipantId Participant, string Reason, Actor Actor, DateTimeOffset At) : IParticipantCommand;
public sealed record ReinstateParticipant(ParticipantId Participant, Actor Actor, DateTimeOffset At) : IParticipantCommand;
public sealed record RegisterSigningKey(ParticipantId Participant, string KeyId, string PublicKeySpki, Actor Actor, DateTimeOffset At) : IParticipantCommand;
