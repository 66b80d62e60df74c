using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Registrations;
using AssetLedger.Ledger.Serialization;
using AssetLedger.Ledger.Rules;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>
/// The integrity check's judgement of each asset event in its range by the Domain's rules and by its signer's context:
/// allowed in the asset's state before it, by its actor as the actor's stream stood at that position; signed when the
/// actor held a signing key; its metadata's commitment to the actor's stream naming a version and hash the stream holds.
/// States are kept per stream as the range is read, so each stream is read from its start at most once.
/// </summary>
sealed class IntegrityRules(IEventStore events)
{
    const int Page = 1000;
    readonly Dictionary<string, AssetState?> _assets = new(StringComparer.Ordinal);
    readonly Dictionary<string, ParticipantHistory?> _participants = new(StringComparer.Ordinal);
    readonly Dictionary<string, RegistrationState?> _registrations = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<IntegrityProblem>> Judge(StoredEvent e, CancellationToken ct)
    {
        if (e.StreamId.StartsWith("participant-", StringComparison.Ordinal))
        {
            if (_participants.GetValueOrDefault(e.StreamId["participant-".Length..]) is { } known) Fold(known, e);
            return [];
        }
        if (e.StreamId.StartsWith(RegistrationId.StreamPrefix, StringComparison.Ordinal)) return await JudgeRegistration(e, ct);
        if (!e.StreamId.StartsWith("asset-", StringComparison.Ordinal)) return [];
        var before = _assets.TryGetValue(e.StreamId, out var cached) && cached?.Version == e.Version - 1 ? cached : await Load(e, ct);
        var (recorded, unreadable) = EventAdmission.Read(e.Type, e.Data);
        if (before is null || recorded is null)
        {
            _assets[e.StreamId] = null;
            return recorded is null ? [new(e.Position, "rules", $"event {e.EventId} ({e.StreamId} v{e.Version}): the Domain cannot read it ({unreadable})")] : [];
        }
        var problems = new List<IntegrityProblem>();
        var context = SignerContext.Of(e.Metadata);
        var actor = context.Participant is { } p && p != ParticipantId.System.Value ? await History(p, ct) : null;
        var actorState = actor?.AtPosition(e.Position);
        var venue = recorded is AssetTransferredOut o ? await History(o.Venue.Value, ct) : null;
        if (EventAdmission.Problem(before, recorded, context.Participant, actorState, id => venue?.AtPosition(e.Position) is { Exists: true } v ? v.Roles : null) is { } rule)
            problems.Add(new(e.Position, "rules", $"event {e.EventId} ({e.StreamId} v{e.Version}): {e.Type} by {context.Participant ?? "nobody"} is not allowed by the rules: {rule}"));
        if (actor is not null && SignerContext.Problem(context, actor, e.Position) is { } signer)
            problems.Add(new(e.Position, "signer", $"event {e.EventId} ({e.StreamId} v{e.Version}): {signer}"));
        _assets[e.StreamId] = AssetState.Evolve(before, recorded);
        return problems;
    }

    /// <summary>A registration event, judged as an asset event is: re-decided in the state before it, by its actor as it then stood.</summary>
    async Task<IReadOnlyList<IntegrityProblem>> JudgeRegistration(StoredEvent e, CancellationToken ct)
    {
        var before = _registrations.TryGetValue(e.StreamId, out var cached) && cached?.Version == e.Version - 1 ? cached : await LoadRegistration(e, ct);
        var recorded = Registration(e.Type, e.Data);
        _registrations[e.StreamId] = before is null || recorded is null ? null : RegistrationState.Evolve(before, recorded);
        if (recorded is null) return [new(e.Position, "rules", $"event {e.EventId} ({e.StreamId} v{e.Version}): the Domain cannot read it as a registration event")];
        if (before is null) return [];
        var context = SignerContext.Of(e.Metadata);
        var actor = context.Participant is { } p && p != ParticipantId.System.Value ? await History(p, ct) : null;
        return EventAdmission.Problem(before, recorded, context.Participant, actor?.AtPosition(e.Position)) is { } rule
            ? [new(e.Position, "rules", $"event {e.EventId} ({e.StreamId} v{e.Version}): {e.Type} by {context.Participant ?? "nobody"} is not allowed by the rules: {rule}")]
            : [];
    }

    async Task<RegistrationState?> LoadRegistration(StoredEvent e, CancellationToken ct)
    {
        var state = RegistrationState.Initial;
        if (e.Version <= 1) return state;
        foreach (var x in await events.ReadStream(e.StreamId, 1, (int)(e.Version - 1), ct))
        {
            if (Registration(x.Type, x.Data) is not { } read) return null;
            state = RegistrationState.Evolve(state, read);
        }
        return state.Version == e.Version - 1 ? state : null;
    }

    static IRegistrationEvent? Registration(string type, string data)
    {
        try { return EventSerializer.Instance.Deserialize(type, data) as IRegistrationEvent; }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or NotSupportedException) { return null; }
    }

    /// <summary>The asset as its events before <paramref name="e"/> leave it, or null if one does not fold.</summary>
    async Task<AssetState?> Load(StoredEvent e, CancellationToken ct)
    {
        var state = AssetState.Initial;
        for (var from = 1L; from < e.Version;)
        {
            var page = await events.ReadStream(e.StreamId, from, (int)Math.Min(Page, e.Version - from), ct);
            if (page.Count == 0) return null;
            foreach (var x in page)
            {
                if (EventAdmission.Read(x.Type, x.Data).Event is not { } read) return null;
                state = AssetState.Evolve(state, read);
            }
            from = page[^1].Version + 1;
        }
        return state;
    }

    async Task<ParticipantHistory?> History(string participant, CancellationToken ct)
    {
        if (_participants.TryGetValue(participant, out var known)) return known;
        var history = new ParticipantHistory(participant);
        for (var from = 1L; ;)
        {
            var page = await events.ReadStream($"participant-{participant}", from, Page, ct);
            foreach (var x in page)
                if (!Fold(history, x)) { history = null; break; }
            if (history is null || page.Count < Page) break;
            from = page[^1].Version + 1;
        }
        _participants[participant] = history;
        return history;
    }

    static bool Fold(ParticipantHistory history, StoredEvent e)
    {
        try { history.Add(e.Position, e.Version, e.Hash, e.Type, e.Data); return true; }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or InvalidCastException or NotSupportedException) { return false; }
    }
}
