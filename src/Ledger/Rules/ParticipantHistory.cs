using AssetLedger.Domain.Participants;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Ledger.Rules;

/// <summary>
/// One participant's stream folded event by event, so that its state (roles, status, signing key) can be asked as it
/// was at any log position or stream version: what a verifier needs to judge an asset event by the rules of its time.
/// </summary>
public sealed class ParticipantHistory
{
    readonly List<(long Position, long Version, string Hash, ParticipantState State)> _steps = [];

    public string Participant { get; }
    public ParticipantHistory(string participant) => Participant = participant;

    public long LastVersion => _steps.Count == 0 ? 0 : _steps[^1].Version;

    /// <summary>Folds the next event of the stream (version order); throws as the serializer does on an event it cannot read.</summary>
    public void Add(long position, long version, string hash, string type, string data)
    {
        if (version <= LastVersion) return;
        var before = _steps.Count == 0 ? ParticipantState.Initial : _steps[^1].State;
        _steps.Add((position, version, hash, ParticipantState.Evolve(before, (IParticipantEvent)EventSerializer.Instance.Deserialize(type, data))));
    }

    /// <summary>The state after every event logged before <paramref name="position"/> (the initial state if none).</summary>
    public ParticipantState AtPosition(long position)
    {
        var state = ParticipantState.Initial;
        foreach (var s in _steps)
        {
            if (s.Position >= position) break;
            state = s.State;
        }
        return state;
    }

    /// <summary>The position, hash and state of the stream at <paramref name="version"/>, or null if the history does not reach it.</summary>
    public (long Position, string Hash, ParticipantState State)? AtVersion(long version) =>
        _steps.FirstOrDefault(s => s.Version == version) is { Version: > 0 } s ? (s.Position, s.Hash, s.State) : null;
}
