using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Rules;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// Rule-checked replay: each event of an asset whose history starts in the bundle must be one the Domain's rules allowed
/// in the state before it, by its actor as the actor's stream in the bundle stood at that position. A well-hashed,
/// well-proven event the rules forbid (a transfer taken with no offer) fails here, named.
/// </summary>
static class RulesCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var participants = Histories(bundle, failures);
        int judged = 0, streams = 0, skipped = 0;
        foreach (var (stream, events) in bundle.Streams.ByStream.Where(s => s.Key.StartsWith("asset-", StringComparison.Ordinal)).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (events.Count == 0 || events[0].Version != 1) { skipped++; continue; }
            streams++;
            var state = AssetState.Initial;
            foreach (var e in events)
            {
                var (recorded, unreadable) = EventAdmission.Read(e.Type, e.Data);
                if (recorded is null) { failures.Add($"{e.Where}: the Domain cannot read it ({unreadable})"); break; }
                var actor = EventAdmission.ParticipantOf(e.Metadata);
                var actorState = actor is not null && participants.TryGetValue(actor, out var h) ? h.AtPosition(e.Position) : null;
                var problem = EventAdmission.Problem(state, recorded, actor, actorState, id => RolesOf(participants, id, e.Position, bundle.Manifest.FormatVersion));
                problem ??= recorded is AssetSplitOff off && actorState is not null ? SplitOffProblem(bundle, off, new Actor(actorState.Id, actorState.Roles)) : null;
                if (problem is not null) failures.Add($"{e.Where}: {e.Type} by {actor ?? "nobody"} is not allowed by the rules: {problem}");
                judged++;
                state = AssetState.Evolve(state, recorded);
            }
        }
        return VerificationCheck.From("rules", failures,
            $"{judged} events of {streams} asset{(streams == 1 ? "" : "s")} are each what the Domain decides for its command in the state before it"
            + (skipped > 0 ? $"; {skipped} streams begin before the bundle and are not judged" : ""));
    }

    /// <summary>
    /// A part's first event against its parent's split, when the bundle holds the parent's history from its start (a part's
    /// own bundle does): the rules, deciding the recorded split in the parent's state before it, must give exactly this part.
    /// </summary>
    static string? SplitOffProblem(ParsedBundle bundle, AssetSplitOff off, Actor actor)
    {
        if (!bundle.Streams.ByStream.TryGetValue(off.Parent.StreamId, out var parent) || parent.Count == 0 || parent[0].Version != 1) return null;
        var before = AssetState.Initial;
        foreach (var e in parent.TakeWhile(e => e.Version < off.ParentVersion))
        {
            if (EventAdmission.Read(e.Type, e.Data).Event is not { } x) return null; // reported on the parent's own stream
            before = AssetState.Evolve(before, x);
        }
        if (parent.FirstOrDefault(e => e.Version == off.ParentVersion) is not { Type: "asset-split" } at || EventAdmission.Read(at.Type, at.Data).Event is not AssetSplit split)
            return $"its parent {off.Parent}'s event {off.ParentVersion} is not a split";
        var decided = Admissibility.SplitOffs(before, split, actor).FirstOrDefault(d => d.Asset == off.Asset);
        return decided is not null && Admissibility.SameSplitOff(decided, off) ? null
            : $"event.inadmissible: the split at {off.Parent} v{off.ParentVersion} decides {(decided is null ? "no such part" : "this part with other data")}";
    }

    /// <summary>
    /// A venue's roles at the position. Bundles before format 3 carry only the actors' streams, not the venues': there a
    /// venue not in the bundle is taken to hold the role its purpose needs (the check can say nothing about it).
    /// </summary>
    static IReadOnlySet<Role>? RolesOf(Dictionary<string, ParticipantHistory> participants, ParticipantId id, long position, int format) =>
        participants.TryGetValue(id.Value, out var h) && h.AtPosition(position) is { Exists: true } s ? s.Roles
        : format < 3 ? new HashSet<Role> { Role.TradingCenter, Role.FinancialInstitution } : null;

    /// <summary>Every participant stream of the bundle that starts at version 1, folded.</summary>
    internal static Dictionary<string, ParticipantHistory> Histories(ParsedBundle bundle, List<string> failures)
    {
        var histories = new Dictionary<string, ParticipantHistory>(StringComparer.Ordinal);
        foreach (var (stream, list) in bundle.Streams.ByStream.Where(s => s.Key.StartsWith("participant-", StringComparison.Ordinal) && s.Value.Count > 0 && s.Value[0].Version == 1))
        {
            var history = new ParticipantHistory(stream["participant-".Length..]);
            foreach (var e in list)
            {
                try { history.Add(e.Position, e.Version, e.Hash, e.Type, e.Data); }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or InvalidCastException or NotSupportedException)
                {
                    failures.Add($"{e.Where}: not a participant event ({ex.Message})");
                    break;
                }
            }
            histories[history.Participant] = history;
        }
        return histories;
    }
}
