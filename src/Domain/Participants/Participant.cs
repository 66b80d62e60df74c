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
    /// <summary>Grows with every event that ends its users' sessions (a role revoked, a suspension, a rejection); never goes back.</summary>
    public long SessionVersion { get; init; }
    public long Version { get; init; }
    public bool Exists => Version > 0;
    /// <summary>May act on assets: verified and not suspended.</summary>
    public bool CanAct => Status == ParticipantStatus.Verified && !Suspended;

    public static ParticipantState Evolve(ParticipantState s, IParticipantEvent e) => (e switch
    {
        ParticipantRegistered r => s with { Id = r.Participant, Name = r.Name, Roles = [.. r.Roles], Status = ParticipantStatus.Verified, CreditCode = r.CreditCode, Contact = r.Contact },
        // After a rejection the id is applied for afresh: nothing of the rejected application carries over but the versions.
        ParticipantApplied a => Initial with { Version = s.Version, SessionVersion = s.SessionVersion, Id = a.Participant, Name = a.Name, CreditCode = a.CreditCode, Contact = a.Contact, RequestedRoles = [.. a.RequestedRoles], Status = ParticipantStatus.Applied },
        ParticipantVerified v => s with { Status = ParticipantStatus.Verified, Roles = [.. v.Roles] },
        ParticipantRejected => s with { Status = ParticipantStatus.Rejected, SessionVersion = s.SessionVersion + 1 },
        ParticipantRoleGranted g => s with { Roles = s.Roles.Add(g.Role) },
        ParticipantRoleRevoked r => s with { Roles = s.Roles.Remove(r.Role), SessionVersion = s.SessionVersion + 1 },
        ParticipantSuspended => s with { Suspended = true, SessionVersion = s.SessionVersion + 1 },
        ParticipantReinstated => s with { Suspended = false },
        ParticipantSigningKeyRegistered k => s with { SigningKeyId = k.KeyId, SigningKeySpki = k.PublicKeySpki },
        _ => throw new InvalidOperationException($"No fold for {e.GetType().Name}."),
    }) with { Version = s.Version + 1 };
}
