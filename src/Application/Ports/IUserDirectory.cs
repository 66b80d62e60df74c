using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Ports;

/// <summary>Which logins were ever created for a participant (read from the event log, so never behind it).</summary>
public interface IUserDirectory
{
    /// <summary>Every login created for the participant; the caller folds each user to see whether it still belongs to it.</summary>
    Task<IReadOnlyList<string>> LoginsOf(ParticipantId participant, CancellationToken ct);
}
