using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using Mediator;

namespace AssetLedger.Application.Assets;

/// <summary>Run one asset command: load, decide, append with the expected version, retry on a conflict.</summary>
/// <param name="IfMatchVersion">When set, the asset must be at exactly this version (HTTP If-Match), or the command fails with 412.</param>
public sealed record ExecuteAssetCommand(IAssetCommand Command, CommandContext Context, long? IfMatchVersion = null) : ICommand<CommandOutcome<AssetState>>
{
    /// <summary>
    /// A registration whose asset id was just made by this service (a new UUIDv7, not one a client chose or signed): its stream
    /// cannot exist, so it is decided on the empty state without a read; the append's "no stream yet" check confirms it.
    /// </summary>
    public bool NewStream { get; init; }
}

/// <param name="directory">Resolves the participants a command names; without one (domain-level tests) names are taken as given.</param>
/// <param name="view">With it, the first attempt's state comes from this instance's view as of the request (issue 21); a retry
/// after a version conflict reads the stream. The append's expected version is the guarantee either way.</param>
public sealed class AssetCommandHandler(IEventStore store, ConfirmationPolicy policy, IParticipantDirectory? directory = null,
    Participants.CallerStreamView? view = null)
    : ICommandHandler<ExecuteAssetCommand, CommandOutcome<AssetState>>
{
    readonly CommandService<ExecuteAssetCommand, AssetState, IAssetEvent> _commands = new(store, new()
    {
        Stream = r => r.Command.Asset.StreamId,
        Load = (r, ct) => r is { NewStream: true, Command: RegisterAsset } ? Task.FromResult(AssetState.Initial) : AssetStreams.Load(store, view, r.Command.Asset, ct),
        Reload = (r, ct) => AssetStreams.Load(store, r.Command.Asset, ct),
        Decide = (s, r) => AssetDecider.Decide(s, r.Command, policy),
        Evolve = AssetState.Evolve,
        Version = s => s.Version,
        Origin = r => (r.Command.Actor, r.Context),
        Prepare = directory is null ? null : (r, ct) => ActorAndReferences(directory, r, ct),
        Precondition = IfMatch,
        Refusal = HiddenFromOutsiders,
        UniqueKeys = events => [.. events.OfType<AssetRegistered>().Select(r => r.Key), .. events.OfType<AssetSplitOff>().Select(o => o.Key)],
        StreamOf = e => e.Asset.StreamId,
        KeyTaken = AssetErrors.KeyTaken,
        Conflict = new DomainError("asset.concurrency_conflict",
            $"The asset kept changing while this command was decided ({CommandService.MaxAttempts} attempts); read it again and retry.", ErrorKind.Conflict),
    });

    public async ValueTask<CommandOutcome<AssetState>> Handle(ExecuteAssetCommand request, CancellationToken ct)
    {
        var outcome = await _commands.Run(request, ct);
        // What this request wrote is not in the round it waited for: any later read of the view in it waits for a new round.
        if (outcome.Events.Count > 0) Participants.ParticipantDirectory.MarkUnsynced();
        return outcome;
    }

    static async Task<Result<ExecuteAssetCommand>> ActorAndReferences(IParticipantDirectory directory, ExecuteAssetCommand request, CancellationToken ct)
    {
        var command = request.Command;
        var context = request.Context;
        if (!command.Actor.Has(Role.System))
        {
            // Deny by default: only a verified, unsuspended participant acts, with the roles it holds now.
            var actor = await directory.Find(command.Actor.Id, ct);
            if (actor is not { Active: true })
                return new DomainError("participant.inactive",
                    $"{command.Actor.Id} is not a verified, active participant (awaiting verification or suspended); it cannot act on assets.", ErrorKind.Forbidden);
            // The events commit to the actor's stream as decided on: a verifier then knows which key and roles it held.
            context = context with { ParticipantVersion = actor.StreamVersion, ParticipantHash = actor.StreamHash };
        }
        var resolved = await ParticipantReferences.Resolve(directory, command, ct);
        return resolved.Error is { } refError ? refError : request with { Command = resolved.Value!, Context = context };
    }

    static DomainError? IfMatch(AssetState state, ExecuteAssetCommand request) =>
        request.IfMatchVersion is { } expected && state.Exists && state.Version != expected
            ? AssetAccess.CanRead(request.Command.Actor, state) ? VersionMismatch(expected, state.Version) : AssetAccess.NotFound(request.Command.Asset)
            : null;

    // A refusal never tells an outsider that the asset exists.
    static DomainError HiddenFromOutsiders(AssetState state, ExecuteAssetCommand request, DomainError error) =>
        state.Exists && request.Command is not RegisterAsset && !AssetAccess.CanRead(request.Command.Actor, state) ? AssetAccess.NotFound(request.Command.Asset) : error;

    static DomainError VersionMismatch(long expected, long actual) => new("asset.version_mismatch",
        $"If-Match names version {expected} but the asset is at version {actual}; read it again (GET returns the current ETag) and decide anew.",
        ErrorKind.PreconditionFailed, "If-Match");
}
