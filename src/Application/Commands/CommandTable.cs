using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Commands;

/// <summary>
/// How one aggregate's commands run, as a table: the stream a request writes, how its state is loaded, decided and
/// folded, and the aggregate's own steps around the decision. <see cref="CommandService{TRequest,TState,TEvent}"/> runs it.
/// </summary>
public sealed class CommandTable<TRequest, TState, TEvent> where TState : class
{
    public required Func<TRequest, string> Stream { get; init; }
    public required Func<TRequest, CancellationToken, Task<TState>> Load { get; init; }
    public required Func<TState, TRequest, Decision<TEvent>> Decide { get; init; }
    public required Func<TState, TEvent, TState> Evolve { get; init; }
    public required Func<TState, long> Version { get; init; }
    /// <summary>Who acts and in answer to what: written beside every appended event.</summary>
    public required Func<TRequest, (Actor Actor, CommandContext Context)> Origin { get; init; }
    /// <summary>The aggregate's own answer once every attempt met a concurrent change.</summary>
    public required DomainError Conflict { get; init; }

    /// <summary>
    /// How the state is read again after a version conflict; null: as <see cref="Load"/>. Where Load may answer from a view as
    /// of the request's start (the asset view, issue 21), this reads the store, so the next decision sees what conflicted.
    /// </summary>
    public Func<TRequest, CancellationToken, Task<TState>>? Reload { get; init; }

    /// <summary>How often a version conflict is decided anew; 1 where a step before the append must not run twice.</summary>
    public int MaxAttempts { get; init; } = CommandService.MaxAttempts;

    /// <summary>Checks that need I/O the pure decider may not do, before the stream is read; may complete the request.</summary>
    public Func<TRequest, CancellationToken, Task<Result<TRequest>>>? Prepare { get; init; }
    /// <summary>Refuses before deciding, given the loaded state (an HTTP If-Match precondition).</summary>
    public Func<TState, TRequest, DomainError?>? Precondition { get; init; }
    /// <summary>Rewrites a refusal before the caller sees it (an asset does not tell outsiders it exists).</summary>
    public Func<TState, TRequest, DomainError, DomainError>? Refusal { get; init; }
    /// <summary>A last check or side effect between the decision and the append.</summary>
    public Func<TRequest, CancellationToken, Task<DomainError?>>? BeforeAppend { get; init; }
    /// <summary>Keys the decided events claim for ever, and the refusal when another stream holds one already.</summary>
    public Func<IReadOnlyList<TEvent>, IReadOnlyList<string>>? UniqueKeys { get; init; }
    public Func<string, DomainError>? KeyTaken { get; init; }
    /// <summary>
    /// The stream of each decided event, where a decision may open other streams (a split's parts): those are written
    /// new, with the request's stream, all or nothing. Null: every event is the request's stream's.
    /// </summary>
    public Func<TEvent, string>? StreamOf { get; init; }
}
