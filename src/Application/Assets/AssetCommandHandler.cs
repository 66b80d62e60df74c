using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using Mediator;

namespace AssetLedger.Application.Assets;

/// <summary>Everything a command carries besides the decision itself: tracing and non-repudiation.</summary>
public sealed record CommandContext(string? User = null, Guid? CorrelationId = null, Guid? CausationId = null, string? IdempotencyKey = null, string? Signature = null);

/// <summary>Run one asset command: load, decide, append with the expected version, retry on a conflict.</summary>
/// <param name="IfMatchVersion">When set, the asset must be at exactly this version (HTTP If-Match), or the command fails with 412.</param>
public sealed record ExecuteAssetCommand(IAssetCommand Command, CommandContext Context, long? IfMatchVersion = null) : ICommand<CommandOutcome>;

public sealed record CommandOutcome(DomainError? Error, long Version, IReadOnlyList<AppendedEvent> Events, AssetState? State)
{
    public bool Ok => Error is null;
    public static CommandOutcome Failed(DomainError e, long version = 0) => new(e, version, [], null);
}

/// <param name="directory">Resolves the participants a command names; without one (domain-level tests) names are taken as given.</param>
public sealed class AssetCommandHandler(IEventStore store, ConfirmationPolicy policy, IParticipantDirectory? directory = null)
    : ICommandHandler<ExecuteAssetCommand, CommandOutcome>
{
    /// <summary>Attempts before a version conflict is reported to the caller.</summary>
    public const int MaxAttempts = 5;

    public async ValueTask<CommandOutcome> Handle(ExecuteAssetCommand request, CancellationToken ct)
    {
        var command = request.Command;
        if (directory is not null && !command.Actor.Has(Role.System))
        {
            // Deny by default: only a verified, unsuspended participant acts, with the roles it holds now.
            var actor = await directory.Find(command.Actor.Id, ct);
            if (actor is not { Active: true })
                return CommandOutcome.Failed(new DomainError("participant.inactive",
                    $"{command.Actor.Id} is not a verified, active participant (awaiting verification or suspended); it cannot act on assets.", ErrorKind.Forbidden));
        }
        if (directory is not null)
        {
            var resolved = await ParticipantReferences.Resolve(directory, command, ct);
            if (resolved.Error is { } refError) return CommandOutcome.Failed(refError);
            command = resolved.Value!;
        }
        var stream = command.Asset.StreamId;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var state = await AssetStreams.Load(store, command.Asset, ct);
            if (request.IfMatchVersion is { } expected && state.Exists && state.Version != expected)
                return CommandOutcome.Failed(AssetAccess.CanRead(command.Actor, state) ? VersionMismatch(expected, state.Version) : AssetAccess.NotFound(command.Asset), state.Version);
            var decision = AssetDecider.Decide(state, command, policy);
            // A refusal never tells an outsider that the asset exists.
            if (decision.Error is { } error)
                return CommandOutcome.Failed(state.Exists && command is not RegisterAsset && !AssetAccess.CanRead(command.Actor, state)
                    ? AssetAccess.NotFound(command.Asset) : error, state.Version);

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

    static DomainError VersionMismatch(long expected, long actual) => new("asset.version_mismatch",
        $"If-Match names version {expected} but the asset is at version {actual}; read it again (GET returns the current ETag) and decide anew.",
        ErrorKind.PreconditionFailed, "If-Match");
}
