namespace AssetLedger.Application.Commands;

/// <summary>Everything a command carries besides the decision itself: tracing and non-repudiation.</summary>
public sealed record CommandContext(string? User = null, Guid? CorrelationId = null, Guid? CausationId = null, string? IdempotencyKey = null, string? Signature = null);
