using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Ports;

/// <summary>Who a participant is and which roles it holds now; commands need it to decide (venue roles, confirmer roles).</summary>
public interface IParticipantDirectory
{
    Task<ParticipantInfo?> Find(ParticipantId id, CancellationToken ct);
}

public sealed record ParticipantInfo(ParticipantId Id, string Name, IReadOnlySet<Role> Roles, bool Active);
