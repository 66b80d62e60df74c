using System.Text.Json;

namespace AssetLedger.Ledger.Serialization;

/// <summary>Who caused an event and in answer to what: kept beside every event for non-repudiation.</summary>
public sealed record EventMetadata(
    string? Participant,
    string? User,
    Guid CorrelationId,
    Guid? CausationId,
    string? IdempotencyKey,
    string? Signature)
{
    public string ToJson() => JsonSerializer.Serialize(this, EventSerializer.Options);
    public static EventMetadata FromJson(string json) => JsonSerializer.Deserialize<EventMetadata>(json, EventSerializer.Options)!;
}
