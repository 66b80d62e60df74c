using AssetLedger.Application.Ports;
using AssetLedger.Application.Serialization;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using Mediator;

namespace AssetLedger.Application.Assets;

/// <summary>Everything a command carries besides the decision itself: tracing and non-repudiation.</summary>
public sealed record CommandContext(string? User = null, Guid? CorrelationId = null, Guid? CausationId = null, string? IdempotencyKey = null, string? Signature = null);

/// <summary>Run one asset command: load, decide, append with the expected version, retry on a conflict.</summary>
public sealed record ExecuteAssetCommand(IAssetCommand Command, CommandContext Context) : ICommand<CommandOutcome>;

public sealed record CommandOutcome(DomainError? Error, long Version, IReadOnlyList<AppendedEvent> Events, AssetState? State)
{
    public bool Ok => Error is null;
    public static CommandOutcome Failed(DomainError e) => new(e, 0, [], null);
}

public sealed class AssetCommandHandler(IEventStore store, ConfirmationPolicy policy) : ICommandHandler<ExecuteAssetCommand, CommandOutcome>
{
    /// <summary>Attempts before a version conflict is reported to the caller.</summary>
    public const int MaxAttempts = 5;

    public async ValueTask<CommandOutcome> Handle(ExecuteAssetCommand request, CancellationToken ct)
    {
        var command = request.Command;
        var stream = command.Asset.StreamId;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var state = await AssetStreams.Load(store, command.Asset, ct);
            var decision = AssetDecider.Decide(state, command, policy);
            if (decision.Error is { } error) return CommandOutcome.Failed(error);

            var keys = decision.Events.OfType<AssetRegistered>().Select(r => r.Key).ToList();
            var append = AssetStreams.ToAppend(decision.Events, command.Actor, request.Context);
            var result = await store.Append(new AppendRequest(stream, state.Version, append, keys), ct);
            switch (result.Status)
            {
                case AppendStatus.Appended or AppendStatus.AlreadyAppended:
                    return new CommandOutcome(null, result.StreamVersion, result.Events, decision.Events.Aggregate(state, AssetState.Evolve));
                case AppendStatus.KeyTaken:
                    return CommandOutcome.Failed(AssetErrors.KeyTaken(result.TakenKey ?? "?"));
            }
        }
        return CommandOutcome.Failed(new DomainError("asset.concurrency_conflict",
            $"The asset kept changing while this command was decided ({MaxAttempts} attempts); read it again and retry.", ErrorKind.Conflict));
    }
}
