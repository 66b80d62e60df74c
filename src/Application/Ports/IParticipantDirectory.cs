using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Ports;

/// <summary>Who a participant is and which roles it holds now; commands need it to decide (venue roles, confirmer roles).</summary>
public interface IParticipantDirectory
{
    Task<ParticipantInfo?> Find(ParticipantId id, CancellationToken ct);
}

/// <param name="Active">Verified and not suspended: may act on assets.</param>
/// <param name="SigningKeySpki">Its ECDSA P-256 public key when it signs its commands (base64 SubjectPublicKeyInfo).</param>
/// <param name="Verified">The operator verified it (or onboarded it directly); an applicant sees only its own application.</param>
/// <param name="SessionVersion">Grows when its users' sessions end (a role revoked, a suspension, a rejection).</param>
/// <param name="CreditCode">Its unified social credit code as registered (a dispute in the capacity of debtor is checked against it).</param>
/// <param name="StreamVersion">Its stream's version as read, and <paramref name="StreamHash"/> that version's hash: what its commands' events commit to.</param>
public sealed record ParticipantInfo(ParticipantId Id, string Name, IReadOnlySet<Role> Roles, bool Active, string? SigningKeyId = null, string? SigningKeySpki = null,
    bool Verified = true, long SessionVersion = 0, long StreamVersion = 0, string? StreamHash = null, string? CreditCode = null);
