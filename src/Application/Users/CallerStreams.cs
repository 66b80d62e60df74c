using AssetLedger.Application.Participants;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Users;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Application.Users;

/// <summary>
/// The user and the participant behind a token, read from their own streams as on every request (no cache, so a reset,
/// a disable, a role revocation or a suspension counts at once on every instance), but both in one round trip to the
/// store instead of two. The participant is remembered in the request's directory scope, so the command's actor check
/// reads it no more.
/// </summary>
public static class CallerStreams
{
    /// <summary>Events per stream in the one read; a longer stream is folded the usual way, a page at a time.</summary>
    const int Page = 1000;

    /// <param name="view">With it, both come from this instance's view fed by the log, exact as of this call (issue 21).</param>
    public static async Task<(UserState User, ParticipantInfo? Participant)> Read(IEventStore store, IParticipantDirectory directory, string login,
        ParticipantId participant, CancellationToken ct, CallerStreamView? view = null)
    {
        if (!UserDecider.IsWellFormedLogin(login) || !ParticipantId.IsWellFormed(participant.Value))
            return (await UserCommandHandler.Load(store, login, ct), await directory.Find(participant, ct));
        var userStream = UserDecider.StreamOf(login);
        var participantStream = ParticipantDecider.StreamOf(participant);
        if (view is not null)
        {
            var viewed = await view.Read([userStream, participantStream], ParticipantDirectory.Synced, ct);
            ParticipantDirectory.MarkSynced();
            if (viewed[userStream] is { } u && viewed[participantStream] is { } p)
            {
                var known = ParticipantDirectory.InfoOf((ParticipantState)p.State, p.Hash);
                ParticipantDirectory.Remember(participant, known);
                return ((UserState)u.State, known);
            }
        }
        var read = await store.ReadStreams([userStream, participantStream], Page, ct);
        var userEvents = read.GetValueOrDefault(userStream) ?? [];
        var participantEvents = read.GetValueOrDefault(participantStream) ?? [];
        if (userEvents.Count >= Page || participantEvents.Count >= Page)
            return (await UserCommandHandler.Load(store, login, ct), await directory.Find(participant, ct));

        var user = UserState.Initial;
        foreach (var e in userEvents) user = UserState.Evolve(user, (IUserEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data));
        var state = ParticipantState.Initial;
        foreach (var e in participantEvents) state = ParticipantState.Evolve(state, (IParticipantEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data));
        var info = ParticipantDirectory.InfoOf(state, participantEvents.Count > 0 ? participantEvents[^1].Hash : null);
        ParticipantDirectory.Remember(participant, info);
        return (user, info);
    }
}
