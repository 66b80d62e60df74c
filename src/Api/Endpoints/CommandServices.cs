using AssetLedger.Api.Hosting;
using AssetLedger.Api.Contracts;
using AssetLedger.Api.Security;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Api.Problems;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>What every asset write needs, bound once per request (eShop's [AsParameters] bundle).</summary>
public sealed class CommandServices(IMediator mediator, IClock clock, IHttpContextAccessor accessor)
{
    public IMediator Mediator => mediator;
    public DateTimeOffset Now => clock.UtcNow;
    public HttpContext Http => accessor.HttpContext ?? throw new InvalidOperationException("No HTTP context.");
    public Actor Actor => Http.User.ToActor();

    public CommandContext Context()
    {
        var h = Http.Request.Headers;
        Guid? correlation = Guid.TryParse(h["X-Correlation-Id"].ToString(), out var c) ? c : null;
        return new CommandContext(Http.User.Login(), correlation ?? Guid.CreateVersion7(), null, Idempotency.IdempotencyMiddleware.KeyOf(Http),
            Http.Items[SignedCommands.ItemKey] as string, Claim: Http.Items[Idempotency.IdempotencyMiddleware.ClaimItem] as IdempotencyClaim);
    }

    /// <summary>Runs an asset command and answers 200 with the new version, or the problem that refused it.</summary>
    public async Task<Results<Ok<CommandResult>, ProblemHttpResult>> Run(Func<Actor, DateTimeOffset, Result<IAssetCommand>> build, CancellationToken ct)
    {
        var outcome = await Send(build, ct);
        if (outcome.Error is { } problem) return problem;
        return TypedResults.Ok(outcome.Result!);
    }

    public async Task<(CommandResult? Result, ProblemHttpResult? Error)> Send(Func<Actor, DateTimeOffset, Result<IAssetCommand>> build, CancellationToken ct)
    {
        var ifMatch = RequestMapping.IfMatch(Http.Request.Headers.IfMatch.ToString());
        if (ifMatch.Error is { } bad) return (null, P.From(bad));
        // A signed command expects the version it signed: that is its If-Match, and an If-Match header may only repeat it.
        if (Http.Items[SignedCommands.VersionItem] is long signed)
        {
            if (ifMatch.Value is { } v && v != signed)
                return (null, P.From(AccessErrors.SignatureInvalid($"If-Match names version {v}, the signature version {signed}.")));
            ifMatch = (long?)signed;
        }
        var command = build(Actor, Now);
        if (command.Error is { } invalid) return (null, P.From(invalid));
        var outcome = await mediator.Send(new ExecuteAssetCommand(command.Value!, Context(), ifMatch.Value)
        {
            NewStream = command.Value is RegisterAsset r && r.Asset == _made,
        }, ct);
        if (outcome.Error is { } error) return (null, P.From(error));
        Http.Response.Headers.ETag = $"\"{outcome.Version}\"";
        var state = outcome.State!;
        return (new CommandResult(state.Id.ToString(), outcome.Version, state.Status.ToString(), outcome.Events.Select(AppendedEventView.From).ToList()), null);
    }

    /// <summary>The id a registration creates: the one its signature names, else a new one.</summary>
    public AssetId NewAssetId => Http.Items[SignedCommands.AssetItem] is AssetId signed ? signed : (_made = AssetId.New()).Value;

    /// <summary>The id <see cref="NewAssetId"/> made here (not a signed one): its stream cannot exist yet.</summary>
    AssetId? _made;

    public static Result<AssetId> AssetIdOf(string id) =>
        AssetId.TryParse(id, out var a) ? a : ResourceErrors.NotAnAssetId(id);
}
