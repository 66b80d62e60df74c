using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;

namespace AssetLedger.Application.Participants;

/// <summary>
/// Answers "who is this participant, which roles does it hold" from its own event stream, so a decision
/// never waits for a projection to catch up and a revoked role or a suspension takes effect at once, on every instance.
/// </summary>
/// <param name="view">With it, participants come from this instance's view fed by the log, exact as of the request (issue 21).</param>
public sealed class ParticipantDirectory(IEventStore store, CallerStreamView? view = null) : IParticipantDirectory
{
    static readonly AsyncLocal<System.Collections.Concurrent.ConcurrentDictionary<ParticipantId, ParticipantInfo?>?> RequestScope = new();
    /// <summary>Set once the request's scope has synced the view: the rest of the request reads it as of that sync.</summary>
    static readonly AsyncLocal<System.Runtime.CompilerServices.StrongBox<bool>?> ScopeSynced = new();

    /// <summary>Whether this request's scope has already waited for the view (see <see cref="CallerStreamView.Sync"/>).</summary>
    public static bool Synced => ScopeSynced.Value?.Value == true;

    /// <summary>The request's scope has synced the view.</summary>
    public static void MarkSynced()
    {
        if (ScopeSynced.Value is { } box) box.Value = true;
    }

    /// <summary>The request's scope wrote to a stream the view may keep: its next read of the view waits for a new round.</summary>
    public static void MarkUnsynced()
    {
        if (ScopeSynced.Value is { } box) box.Value = false;
    }

    /// <summary>
    /// Within the returned scope (one HTTP request) each participant is read once: authentication, the signature
    /// check, the actor check and the command's references all see the same answer, at a quarter of the reads.
    /// </summary>
    public static IDisposable BeginScope()
    {
        RequestScope.Value = new System.Collections.Concurrent.ConcurrentDictionary<ParticipantId, ParticipantInfo?>();
        ScopeSynced.Value = new System.Runtime.CompilerServices.StrongBox<bool>(false);
        return new ScopeEnd();
    }

    sealed class ScopeEnd : IDisposable
    {
        public void Dispose() => (RequestScope.Value, ScopeSynced.Value) = (null, null);
    }

    public async Task<ParticipantInfo?> Find(ParticipantId id, CancellationToken ct)
    {
        var scope = RequestScope.Value;
        if (scope is not null && scope.TryGetValue(id, out var known)) return known;
        if (view is not null && ParticipantId.IsWellFormed(id.Value))
        {
            var stream = ParticipantDecider.StreamOf(id);
            var read = await view.Read([stream], Synced, ct);
            MarkSynced();
            if (read[stream] is { } folded)
            {
                var found = InfoOf((ParticipantState)folded.State, folded.Hash);
                if (scope is not null) scope[id] = found;
                return found;
            }
        }
        var (s, head) = ParticipantId.IsWellFormed(id.Value)
            ? await EventStreams.FoldToHead<ParticipantState, IParticipantEvent>(store, ParticipantDecider.StreamOf(id), ParticipantState.Initial, ParticipantState.Evolve, p => p.Version, ct)
            : (ParticipantState.Initial, null);
        var info = InfoOf(s, head);
        if (scope is not null) scope[id] = info;
        return info;
    }

    /// <summary>What the directory answers for a participant folded to its stream's head (null when it does not exist).</summary>
    public static ParticipantInfo? InfoOf(ParticipantState s, string? head) => s.Exists
        ? new ParticipantInfo(s.Id, s.Name, s.Roles, s.CanAct, s.SigningKeyId, s.SigningKeySpki, s.Status == ParticipantStatus.Verified, s.SessionVersion, s.Version, head, s.CreditCode)
        : null;

    /// <summary>A participant just read from its stream by another path (<see cref="Users.CallerStreams"/>): the rest of the request's scope reuses it.</summary>
    public static void Remember(ParticipantId id, ParticipantInfo? info)
    {
        if (RequestScope.Value is { } scope) scope[id] = info;
    }

    public static async Task<ParticipantState> Load(IEventStore store, ParticipantId id, CancellationToken ct)
    {
        if (!ParticipantId.IsWellFormed(id.Value)) return ParticipantState.Initial;
        return await EventStreams.Fold<ParticipantState, IParticipantEvent>(store, ParticipantDecider.StreamOf(id), ParticipantState.Initial, ParticipantState.Evolve, s => s.Version, ct);
    }
}
