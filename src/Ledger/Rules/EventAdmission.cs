using System.Text.Json;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Registrations;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Ledger.Rules;

/// <summary>
/// Judges one logged asset event by the Domain's rules (<see cref="Admissibility"/>): its actor as it stood when the
/// event was logged, the asset as the events before it left it. The offline verifier and the integrity check both ask here.
/// </summary>
public static class EventAdmission
{
    /// <summary>Why the rules forbid <paramref name="recorded"/> in <paramref name="before"/>, or null if they allow it.</summary>
    /// <param name="actorState">The acting participant's state at the event (null: its stream is not known).</param>
    /// <param name="rolesOf">Other participants' roles at the event (a venue's), or null when not known.</param>
    public static string? Problem(AssetState before, IAssetEvent recorded, string? participant, ParticipantState? actorState,
        Func<ParticipantId, IReadOnlySet<Role>?> rolesOf)
    {
        var (actor, problem) = ActorAt(participant, actorState);
        if (actor is null) return problem;
        return Admissibility.Check(before, recorded, actor, rolesOf) is { } error ? $"{error.Code}: {error.Message}" : null;
    }

    /// <summary>Why the rules forbid the registration event <paramref name="recorded"/> in <paramref name="before"/>, or null if they allow it.</summary>
    public static string? Problem(RegistrationState before, IRegistrationEvent recorded, string? participant, ParticipantState? actorState)
    {
        var (actor, problem) = ActorAt(participant, actorState);
        if (actor is null) return problem;
        return RegistrationAdmissibility.Check(before, recorded, actor, actorCreditCode: actorState?.CreditCode) is { } error ? $"{error.Code}: {error.Message}" : null;
    }

    /// <summary>The actor as its stream stood when the event was logged, or why it could not have acted.</summary>
    static (Actor? Actor, string? Problem) ActorAt(string? participant, ParticipantState? actorState)
    {
        if (participant is null) return (null, "the event names no acting participant");
        if (participant == ParticipantId.System.Value) return (Actor.SystemActor, null);
        if (actorState is null) return (null, $"the stream of its actor {participant} is not there to say who it was");
        if (!actorState.Exists) return (null, $"its actor {participant} was not a registered participant when it was logged");
        if (!actorState.CanAct) return (null, $"its actor {participant} was not a verified, active participant when it was logged ({actorState.Status}{(actorState.Suspended ? ", suspended" : "")})");
        return (new Actor(actorState.Id, actorState.Roles), null);
    }

    /// <summary>The asset event of a stored type and JSON, or null (with the reason) when the Domain cannot read it.</summary>
    public static (IAssetEvent? Event, string? Error) Read(string type, string data)
    {
        try { return ((IAssetEvent)EventSerializer.Instance.Deserialize(type, data), null); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or InvalidCastException or NotSupportedException) { return (null, e.Message); }
    }

    /// <summary>The <c>metadata.participant</c> of an event's metadata JSON, or null.</summary>
    public static string? ParticipantOf(string metadata)
    {
        try
        {
            using var doc = JsonDocument.Parse(metadata);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("participant", out var p) && p.ValueKind == JsonValueKind.String
                ? p.GetString() : null;
        }
        catch (JsonException) { return null; }
    }
}
