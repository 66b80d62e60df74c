using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Application.Commands;

public static class CommandService
{
    /// <summary>Attempts before a version conflict is reported to the caller.</summary>
    public const int MaxAttempts = 5;

    /// <summary>The events as the store takes them, each with the metadata of who acted and in answer to what.</summary>
    public static IReadOnlyList<EventToAppend> ToAppend<TEvent>(IReadOnlyList<TEvent> events, Actor actor, CommandContext context)
    {
        var correlation = context.CorrelationId ?? Guid.NewGuid();
        var metadata = new EventMetadata(actor.Id.Value, context.User, correlation, context.CausationId, context.IdempotencyKey, context.Signature,
            context.ParticipantVersion, context.ParticipantHash).ToJson();
        return events.Select(e =>
        {
            var (type, schema, json) = EventSerializer.Instance.Serialize(e!);
            return new EventToAppend(Guid.CreateVersion7(), type, schema, json, metadata);
        }).ToList();
    }
}

/// <summary>
/// Runs one aggregate's commands: prepare, load, decide, append with the expected version; when another writer
/// appended first, load and decide again (the decision may now differ), up to the table's attempts, then answer its conflict.
/// </summary>
public sealed class CommandService<TRequest, TState, TEvent>(IEventStore store, CommandTable<TRequest, TState, TEvent> table) where TState : class
{
    public async ValueTask<CommandOutcome<TState>> Run(TRequest request, CancellationToken ct)
    {
        if (table.Prepare is { } prepare)
        {
            var prepared = await prepare(request, ct);
            if (prepared.Error is { } refused) return CommandOutcome<TState>.Failed(refused);
            request = prepared.Value!;
        }
        for (var attempt = 1; attempt <= table.MaxAttempts; attempt++)
        {
            var state = await table.Load(request, ct);
            var version = table.Version(state);
            if (table.Precondition?.Invoke(state, request) is { } unmet) return CommandOutcome<TState>.Failed(unmet, version);
            var decision = table.Decide(state, request);
            if (decision.Error is { } error) return CommandOutcome<TState>.Failed(table.Refusal?.Invoke(state, request, error) ?? error, version);
            if (table.BeforeAppend is { } before && await before(request, ct) is { } vetoed) return CommandOutcome<TState>.Failed(vetoed, version);

            var (actor, context) = table.Origin(request);
            IReadOnlyList<string>? keys = table.UniqueKeys?.Invoke(decision.Events);
            if (SignedCommandClaims.KeyOf(context) is { } signed) keys = [.. keys ?? [], signed];
            var append = new AppendRequest(table.Stream(request), version, CommandService.ToAppend(decision.Events, actor, context), keys);
            var result = await store.Append(append, ct);
            if (result.Succeeded) return new(null, result.StreamVersion, result.Events, decision.Events.Aggregate(state, table.Evolve));
            if (result.Status == AppendStatus.KeyTaken && result.TakenKey?.StartsWith(SignedCommandClaims.Prefix, StringComparison.Ordinal) == true)
                return CommandOutcome<TState>.Failed(SignedCommandClaims.Replayed);
            if (result.Status == AppendStatus.KeyTaken && table.KeyTaken is { } taken) return CommandOutcome<TState>.Failed(taken(result.TakenKey ?? "?"));
        }
        return CommandOutcome<TState>.Failed(table.Conflict);
    }
}
