using System.Collections.Immutable;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Participants;

public enum ParticipantStatus { None, Applied, Verified, Rejected }

/// <summary>A participant (organisation) folded from its events.</summary>
public sealed record ParticipantState
{
    public static readonly ParticipantState Initial = new();

    public ParticipantId Id { get; init; }
    public string Name { get; init; } = "";
    public string? CreditCode { get; init; }
    public string? Contact { get; init; }
    public ParticipantStatus Status { get; init; }
    public ImmutableSortedSet<Role> Roles { get; init; } = [];
    public ImmutableSortedSet<Role> RequestedRoles { get; init; } = [];
    public bool Suspended { get; init; }
    public string? SigningKeyId { get; init; }
    public string? SigningKeySpki { get; init; }
    public long Version { get; init; }
    public bool Exists => Version > 0;
    /// <summary>May act on assets: verified and not suspended.</summary>
    public bool CanAct => Status == ParticipantStatus.Verified && !Suspended;

    public static ParticipantState Evolve(ParticipantState s, IParticipantEvent e) => (e switch
    {
        ParticipantRegistered r => s with { Id = r.Participant, Name = r.Name, Roles = [.. r.Roles], Status = ParticipantStatus.Verified, CreditCode = r.CreditCode, Contact = r.Contact },
        ParticipantApplied a => s with { Id = a.Participant, Name = a.Name, CreditCode = a.CreditCode, Contact = a.Contact, RequestedRoles = [.. a.RequestedRoles], Status = ParticipantStatus.Applied },
        ParticipantVerified v => s with { Status = ParticipantStatus.Verified, Roles = [.. v.Roles] },
        ParticipantRejected => s with { Status = ParticipantStatus.Rejected },
        ParticipantRoleGranted g => s with { Roles = s.Roles.Add(g.Role) },
        ParticipantRoleRevoked r => s with { Roles = s.Roles.Remove(r.Role) },
        ParticipantSuspended => s with { Suspended = true },
        ParticipantReinstated => s with { Suspended = false },
        ParticipantSigningKeyRegistered k => s with { SigningKeyId = k.KeyId, SigningKeySpki = k.PublicKeySpki },
        _ => throw new InvalidOperationException($"No fold for {e.GetType().Name}."),
    }) with { Version = s.Version + 1 };
}
