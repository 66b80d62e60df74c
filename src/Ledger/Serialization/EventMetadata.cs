using System.Text.Json;

namespace AssetLedger.Ledger.Serialization;

/// <summary>Who caused an event and in answer to what: kept beside every event for non-repudiation.</summary>
/// <param name="ParticipantVersion">The acting participant's stream version when the command was decided (its key and roles then).</param>
/// <param name="ParticipantHash">The hash of that version of the participant's stream: the event commits to the signer's context.</param>
public sealed record EventMetadata(
    string? Participant,
    string? User,
    Guid CorrelationId,
    Guid? CausationId,
    string? IdempotencyKey,
    string? Signature,
    long? ParticipantVersion = null,
    string? ParticipantHash = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, EventSerializer.Options);
    public static EventMetadata FromJson(string json) => JsonSerializer.Deserialize<EventMetadata>(json, EventSerializer.Options)!;
}
