using System.Collections.Concurrent;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;

namespace AssetLedger.Cli.Seeding;

/// <summary>
/// The seeder registers every participant before the first asset and changes none afterwards, so it can remember
/// each answer instead of reading the participant's stream for every command that names one.
/// </summary>
public sealed class CachedParticipantDirectory(IParticipantDirectory inner) : IParticipantDirectory
{
    readonly ConcurrentDictionary<ParticipantId, ParticipantInfo> _known = new();

    public async Task<ParticipantInfo?> Find(ParticipantId id, CancellationToken ct)
    {
        if (_known.TryGetValue(id, out var info)) return info;
        var found = await inner.Find(id, ct);
        if (found is not null) _known[id] = found;
        return found;
    }
}
