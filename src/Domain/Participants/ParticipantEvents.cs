using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Participants;

/// <summary>A fact in a participant's history (stream <c>participant-{id}</c>).</summary>
public interface IParticipantEvent
{
    ParticipantId Participant { get; }
    DateTimeOffset At { get; }
}

[StoredEvent("participant-registered")]
public sealed record ParticipantRegistered(ParticipantId Participant, string Name, IReadOnlyList<Role> Roles, ParticipantId By, DateTimeOffset At) : IParticipantEvent;

public static class ParticipantEventTypes
{
    public static readonly IReadOnlyList<Type> All = [typeof(ParticipantRegistered)];
}
