namespace AssetLedger.Application.Commands;

/// <summary>Everything a command carries besides the decision itself: tracing and non-repudiation.</summary>
/// <param name="Claim">The request's Idempotency-Key, to reserve with the command's append (see <see cref="Ports.IdempotencyClaim"/>).</param>
/// <param name="ParticipantVersion">The acting participant's stream version (and <paramref name="ParticipantHash"/> its hash) the decision was made with.</param>
public sealed record CommandContext(string? User = null, Guid? CorrelationId = null, Guid? CausationId = null, string? IdempotencyKey = null, string? Signature = null,
    long? ParticipantVersion = null, string? ParticipantHash = null, Ports.IdempotencyClaim? Claim = null);
