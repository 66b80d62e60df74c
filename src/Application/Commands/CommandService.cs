using AssetLedger.Application.Diagnostics;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Application.Commands;

/// <summary>The refusal of a command whose Idempotency-Key another request held when it was to be appended.</summary>
public static class IdempotencyClaims
{
    public static readonly DomainError Held = new("idempotency.in_progress",
        "Another request with this Idempotency-Key was carried out or is running; nothing was written by this one.", ErrorKind.Conflict);
}

public static class CommandService
{
    /// <summary>Attempts before a version conflict is reported to the caller.</summary>
    public const int MaxAttempts = 5;

    /// <summary>The events as the store takes them, each with the metadata of who acted and in answer to what.</summary>
    public static IReadOnlyList<EventToAppend> ToAppend<TEvent>(IReadOnlyList<TEvent> events, Actor actor, CommandContext context) =>
        ToAppend(events, Metadata(actor, context));

    public static string Metadata(Actor actor, CommandContext context) =>
        new EventMetadata(actor.Id.Value, context.User, context.CorrelationId ?? Guid.NewGuid(), context.CausationId, context.IdempotencyKey, context.Signature,
            context.ParticipantVersion, context.ParticipantHash).ToJson();

    public static IReadOnlyList<EventToAppend> ToAppend<TEvent>(IReadOnlyList<TEvent> events, string metadata) => events.Select(e =>
    {
        var (type, schema, json) = EventSerializer.Instance.Serialize(e!);
        return new EventToAppend(Guid.CreateVersion7(), type, schema, json, metadata);
    }).ToList();
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
            Domain.Common.Result<TRequest> prepared;
            using (Stages.Start(Stages.Prepare)) prepared = await prepare(request, ct);
            if (prepared.Error is { } refused) return CommandOutcome<TState>.Failed(refused);
            request = prepared.Value!;
        }
        for (var attempt = 1; attempt <= table.MaxAttempts; attempt++)
        {
            TState state;
            using (Stages.Start(Stages.Load)) state = await (attempt > 1 && table.Reload is { } reload ? reload : table.Load)(request, ct);
            var version = table.Version(state);
            if (table.Precondition?.Invoke(state, request) is { } unmet) return CommandOutcome<TState>.Failed(unmet, version);
            Decision<TEvent> decision;
            using (Stages.Start(Stages.Decide)) decision = table.Decide(state, request);
            if (decision.Error is { } error) return CommandOutcome<TState>.Failed(table.Refusal?.Invoke(state, request, error) ?? error, version);
            if (table.BeforeAppend is { } before && await before(request, ct) is { } vetoed) return CommandOutcome<TState>.Failed(vetoed, version);

            var (actor, context) = table.Origin(request);
            IReadOnlyList<TEvent> primary;
            AppendResult result;
            IReadOnlyList<AppendedEvent> appended;
            using (Stages.Start(Stages.Append)) (primary, result, appended) = await Append(request, version, decision.Events, actor, context, ct);
            if (result.Succeeded)
            {
                context.Claim?.MarkWritten();
                return new(null, result.StreamVersion, appended, primary.Aggregate(state, table.Evolve));
            }
            if (result.Status == AppendStatus.KeyTaken && result.TakenKey == IdempotencyClaim.TakenKey)
            {
                // Another request holds the key: nothing was written, and the caller answers as that request's key says.
                context.Claim?.MarkTaken();
                return CommandOutcome<TState>.Failed(IdempotencyClaims.Held);
            }
            if (result.Status == AppendStatus.KeyTaken && result.TakenKey?.StartsWith(SignedCommandClaims.Prefix, StringComparison.Ordinal) == true)
                return CommandOutcome<TState>.Failed(SignedCommandClaims.Replayed);
            if (result.Status == AppendStatus.KeyTaken && table.KeyTaken is { } taken) return CommandOutcome<TState>.Failed(taken(result.TakenKey ?? "?"));
        }
        return CommandOutcome<TState>.Failed(table.Conflict);
    }

    /// <summary>
    /// Appends the decision: to the request's stream at the expected version or, when the decision also opens other streams
    /// (<see cref="CommandTable{TRequest,TState,TEvent}.StreamOf"/>: a split's parts), to all of them in one transaction.
    /// Answers the request's own stream's events, its result, and every appended event (its stream's first).
    /// </summary>
    async Task<(IReadOnlyList<TEvent> Primary, AppendResult Result, IReadOnlyList<AppendedEvent> Appended)> Append(TRequest request, long version,
        IReadOnlyList<TEvent> events, Actor actor, CommandContext context, CancellationToken ct)
    {
        var stream = table.Stream(request);
        var metadata = CommandService.Metadata(actor, context);
        var groups = table.StreamOf is { } of ? events.GroupBy(e => of(e)).ToList() : [];
        var primary = groups.Count > 1 ? groups.Single(g => g.Key == stream).ToList() : events;
        // The signed payload is claimed once, by the request's own stream.
        IReadOnlyList<string>? keys = table.UniqueKeys?.Invoke(primary);
        if (SignedCommandClaims.KeyOf(context) is { } signed) keys = [.. keys ?? [], signed];
        // The request's Idempotency-Key is reserved by its own stream's append, once: a second append of the request does not carry it.
        var claim = context.Claim is { Written: false } c ? c : null;
        var own = new AppendRequest(stream, version, CommandService.ToAppend(primary, metadata), keys) { Claim = claim };
        claim?.MarkSent();
        if (groups.Count <= 1)
        {
            var result = await store.Append(own, ct);
            return (primary, result, result.Events);
        }
        AppendRequest[] all = [own, .. groups.Where(g => g.Key != stream).Select(g => new AppendRequest(g.Key, ExpectedVersion.NoStream, CommandService.ToAppend([.. g], metadata), table.UniqueKeys?.Invoke([.. g])))];
        var results = await store.Append(all, ct);
        return (primary, results[0], [.. results.SelectMany(r => r.Events)]);
    }
}
