using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Problems;
using AssetLedger.Application.Chains;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Chains;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// The witnesses every checkpoint is submitted to (C2SP tlog-witness), managed at run time like the anchor targets:
/// registered with their URL and cosignature key, switched on and off, each with its cursor's status (operator only).
/// </summary>
public static class WitnessEndpoints
{
    public static RouteGroupBuilder MapWitnesses(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/chains/witnesses").WithTags("Chains").RequireAuthorization(p => p.RequireRole("Operator")).ProducesProblem(403);
        g.MapGet("/", List).WithReadProblems().WithSummary("Every witness with its URL, key, active flag and how far it has cosigned (operator)");
        g.MapPost("/", Register).WithCommandProblems().WithSummary("Register a witness (its add-checkpoint URL prefix and cosignature/v1 key); every checkpoint is submitted to it (operator)");
        g.MapPost("/{name}/activation", Activation).WithCommandProblems().WithSummary("Activate or deactivate a witness (operator)");
        return g;
    }

    static async Task<Ok<WitnessListView>> List(ChainRegistryReader registry, IChainTargetStatus status, CancellationToken ct) =>
        TypedResults.Ok(new WitnessListView(await Views(registry, status, ct)));

    /// <summary>Every witness with its cosigning progress, for GET /chains/witnesses and the console's witnesses page.</summary>
    public static async Task<IReadOnlyList<WitnessView>> Views(ChainRegistryReader registry, IChainTargetStatus status, CancellationToken ct)
    {
        var s = await registry.Current(ct);
        var statuses = await status.Of([.. s.Witnesses.Values.Select(w => w.AnchorName)], ct);
        return s.Witnesses.Values.Select(w => ViewOf(w, statuses)).ToList();
    }

    static async Task<Results<Created<WitnessView>, ProblemHttpResult>> Register(RegisterWitnessRequest body, ChainCommands c, IChainTargetStatus status, CancellationToken ct)
    {
        var outcome = await c.Send(new RegisterWitness(body.Name ?? "", body.Url ?? "", body.VerifierKey ?? "", c.Actor, c.Now), ct);
        if (outcome.Error is { } e) return P.From(e);
        var w = outcome.State!.Witnesses[body.Name!];
        return TypedResults.Created($"/api/v1/chains/witnesses/{w.Name}", ViewOf(w, await status.Of([w.AnchorName], ct)));
    }

    static async Task<Results<Ok<WitnessView>, ProblemHttpResult>> Activation(string name, TargetActivationRequest body, ChainCommands c, IChainTargetStatus status, CancellationToken ct)
    {
        if (body.Active is not { } active) return P.From(RequestErrors.Invalid("active", "active is required: true to submit checkpoints to this witness, false to stop."));
        var outcome = await c.Send(active ? new ActivateWitness(name, c.Actor, c.Now) : new DeactivateWitness(name, c.Actor, c.Now), ct);
        if (outcome.Error is { } e) return P.From(e);
        var w = outcome.State!.Witnesses[name];
        return TypedResults.Ok(ViewOf(w, await status.Of([w.AnchorName], ct)));
    }

    static WitnessView ViewOf(WitnessRecord w, IReadOnlyDictionary<string, TargetStatus> statuses)
    {
        var status = statuses.GetValueOrDefault(w.AnchorName);
        return new WitnessView(w.Name, w.AnchorName, w.Url, w.VerifierKey, w.Active,
            status?.AnchoredSize is { } size ? new TargetAnchoringView(size, status.Failures ?? 0, status.LastError, status.FailingSince) : null);
    }
}
