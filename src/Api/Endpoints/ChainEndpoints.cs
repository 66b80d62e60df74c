using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Security;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Chains;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Chains;
using AssetLedger.Domain.Common;
using Mediator;
using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// 区块链联盟配置管理: alliances and members, networks (Fabric, EVM) with channels or chain ids, contracts, and the
/// named anchor targets that are switched on and off (operator only). Secrets are named by file or variable, never sent.
/// </summary>
public static class ChainEndpoints
{
    static readonly DomainError CredentialsRequired = RequestErrors.Invalid("credentials", "credentials are required: the names of the files or environment variables that hold the signing secrets.");

    public static RouteGroupBuilder MapChains(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/chains").WithTags("Chains").RequireAuthorization(p => p.RequireRole("Operator")).ProducesProblem(403);
        g.MapGet("/", Registry).WithReadProblems().WithSummary("Every alliance with its members, networks, channels, contracts and targets (operator)");
        g.MapGet("/alliances/{allianceId}", Alliance).WithReadProblems().WithSummary("One alliance (operator)");
        g.MapPost("/alliances", RegisterAlliance).WithCommandProblems().WithSummary("Record an alliance (consortium) and its member organisations (operator)");
        g.MapPost("/alliances/{allianceId}/members", AddMember).WithCommandProblems().WithSummary("Add a member organisation to an alliance (operator)");
        g.MapPost("/alliances/{allianceId}/networks", RegisterNetwork).WithCommandProblems().WithSummary("Record a network of the alliance: fabric (endpoints, TLS roots) or evm (endpoints, chain id) (operator)");
        g.MapPost("/alliances/{allianceId}/networks/{networkId}/endpoints", ChangeEndpoints).WithCommandProblems().WithSummary("Move a network to other endpoints or TLS roots; its kind and chain id stay (operator)");
        g.MapPost("/alliances/{allianceId}/networks/{networkId}/channels", AddChannel).WithCommandProblems().WithSummary("Add a channel to a Fabric network (operator)");
        g.MapPost("/alliances/{allianceId}/contracts", RegisterContract).WithCommandProblems().WithSummary("Record a contract: Fabric channel and chaincode, or an EVM address (none: deployed on first use) (operator)");
        g.MapPost("/alliances/{allianceId}/targets", DefineTarget).WithCommandProblems().WithSummary("Define a named anchor target: a contract and the file or variable names of its credentials (operator)");
        g.MapGet("/targets", Targets).WithReadProblems().WithSummary("Every anchor target with its alliance, network, contract, active flag and anchoring status (operator)");
        g.MapGet("/targets/{name}", Target).WithReadProblems().WithSummary("One anchor target (operator)");
        g.MapPost("/targets/{name}/activation", Activation).WithCommandProblems().WithSummary("Activate (every checkpoint is anchored on it too) or deactivate a target (operator)");
        g.MapPost("/targets/{name}/credentials", ChangeCredentials).WithCommandProblems().WithSummary("Point a target at other credential files or variables (operator)");
        g.MapPost("/targets/{name}/contract", ChangeContract).WithCommandProblems().WithSummary("Move a target that has never been active to another contract of the same kind (operator)");
        return g;
    }

    static async Task<Ok<ChainRegistryView>> Registry(ChainRegistryReader registry, IChainTargetStatus status, CancellationToken ct)
    {
        var s = await registry.Current(ct);
        var statuses = await status.Of([.. s.Targets.Keys], ct);
        return TypedResults.Ok(new ChainRegistryView(s.Version, s.Alliances.Values.Select(a => ViewOf(s, a, statuses)).ToList()));
    }

    static async Task<Results<Ok<AllianceView>, ProblemHttpResult>> Alliance(string allianceId, ChainRegistryReader registry, IChainTargetStatus status, CancellationToken ct)
    {
        var s = await registry.Current(ct);
        if (!s.Alliances.TryGetValue(allianceId, out var a)) return P.From(ChainErrors.NotFound("alliance", allianceId));
        return TypedResults.Ok(ViewOf(s, a, await status.Of([.. s.Targets.Values.Where(t => t.Alliance == a.Id).Select(t => t.Name)], ct)));
    }

    static async Task<Ok<TargetListView>> Targets(ChainRegistryReader registry, IChainTargetStatus status, CancellationToken ct) =>
        TypedResults.Ok(new TargetListView(await TargetViews(registry, status, ct)));

    /// <summary>Every anchor target with its anchoring status (the list above, and the console's ledger page).</summary>
    internal static async Task<List<TargetView>> TargetViews(ChainRegistryReader registry, IChainTargetStatus status, CancellationToken ct)
    {
        var s = await registry.Current(ct);
        var statuses = await status.Of([.. s.Targets.Keys], ct);
        return s.Targets.Keys.Select(s.Resolve).OfType<ResolvedTarget>().Select(r => ViewOf(r, statuses)).ToList();
    }

    static async Task<Results<Ok<TargetView>, ProblemHttpResult>> Target(string name, ChainRegistryReader registry, IChainTargetStatus status, CancellationToken ct)
    {
        var s = await registry.Current(ct);
        if (s.Resolve(name) is not { } r) return P.From(ChainErrors.NotFound("target", name));
        return TypedResults.Ok(ViewOf(r, await status.Of([name], ct)));
    }

    static async Task<Results<Created<AllianceView>, ProblemHttpResult>> RegisterAlliance(RegisterAllianceRequest body, ChainCommands c, CancellationToken ct)
    {
        var members = (body.Members ?? []).Select(m => m is null ? null! : new AllianceMember(m.Name ?? "", m.MspId, m.ParticipantId)).ToList();
        return await c.ForAlliance(body.AllianceId ?? "", new RegisterAlliance(body.AllianceId ?? "", body.Name ?? "", members, c.Actor, c.Now), ct);
    }

    static Task<Results<Created<AllianceView>, ProblemHttpResult>> AddMember(string allianceId, AllianceMemberRequest body, ChainCommands c, CancellationToken ct) =>
        c.ForAlliance(allianceId, new AddAllianceMember(allianceId, new AllianceMember(body.Name ?? "", body.MspId, body.ParticipantId), c.Actor, c.Now), ct);

    static async Task<Results<Created<AllianceView>, ProblemHttpResult>> RegisterNetwork(string allianceId, RegisterNetworkRequest body, ChainCommands c, CancellationToken ct)
    {
        ChainKind kind;
        if (string.Equals(body.Kind, "fabric", StringComparison.OrdinalIgnoreCase)) kind = ChainKind.Fabric;
        else if (string.Equals(body.Kind, "evm", StringComparison.OrdinalIgnoreCase)) kind = ChainKind.Evm;
        else return P.From(RequestErrors.Invalid("kind", "kind must be 'fabric' or 'evm'."));
        return await c.ForAlliance(allianceId, new RegisterNetwork(allianceId, body.NetworkId ?? "", body.Name ?? "", kind, body.Endpoints ?? [], body.TlsRootCertificates ?? [],
            body.ChainId, c.Actor, c.Now), ct);
    }

    static async Task<Results<Ok<AllianceView>, ProblemHttpResult>> ChangeEndpoints(string allianceId, string networkId, NetworkEndpointsRequest body, ChainCommands c, CancellationToken ct)
    {
        var (problem, view) = await c.Alliance(allianceId, new ChangeNetworkEndpoints(allianceId, networkId, body.Endpoints ?? [], body.TlsRootCertificates, c.Actor, c.Now), ct);
        return problem is not null ? problem : TypedResults.Ok(view);
    }

    static Task<Results<Created<AllianceView>, ProblemHttpResult>> AddChannel(string allianceId, string networkId, ChannelRequest body, ChainCommands c, CancellationToken ct) =>
        c.ForAlliance(allianceId, new AddChannel(allianceId, networkId, body.Name ?? "", c.Actor, c.Now), ct);

    static Task<Results<Created<AllianceView>, ProblemHttpResult>> RegisterContract(string allianceId, RegisterContractRequest body, ChainCommands c, CancellationToken ct) =>
        c.ForAlliance(allianceId, new RegisterContract(allianceId, body.ContractId ?? "", body.NetworkId!, body.Channel, body.Chaincode, body.Address, body.AbiVersion ?? "", c.Actor, c.Now), ct);

    static async Task<Results<Created<TargetView>, ProblemHttpResult>> DefineTarget(string allianceId, DefineTargetRequest body, ChainCommands c, CancellationToken ct)
    {
        if (body.Credentials is null) return P.From(CredentialsRequired);
        var outcome = await c.Send(new DefineTarget(allianceId, body.Name ?? "", body.ContractId!, body.Credentials.ToDomain(), body.LegacyTransactions ?? false, c.Actor, c.Now), ct);
        if (outcome.Error is { } e) return P.From(e);
        return TypedResults.Created($"/api/v1/chains/targets/{body.Name}", await c.TargetView(outcome.State!, body.Name!, ct));
    }

    static async Task<Results<Ok<TargetView>, ProblemHttpResult>> Activation(string name, TargetActivationRequest body, ChainCommands c, CancellationToken ct)
    {
        if (body.Active is not { } active) return P.From(RequestErrors.Invalid("active", "active is required: true to anchor on this target, false to stop."));
        return await c.ForTarget(name, active ? new ActivateTarget(name, c.Actor, c.Now) : new DeactivateTarget(name, c.Actor, c.Now), ct);
    }

    static Task<Results<Ok<TargetView>, ProblemHttpResult>> ChangeCredentials(string name, TargetCredentialsChangeRequest body, ChainCommands c, CancellationToken ct) =>
        body.Credentials is null
            ? Task.FromResult<Results<Ok<TargetView>, ProblemHttpResult>>(P.From(CredentialsRequired))
            : c.ForTarget(name, new ChangeTargetCredentials(name, body.Credentials.ToDomain(), body.LegacyTransactions ?? false, c.Actor, c.Now), ct);

    static Task<Results<Ok<TargetView>, ProblemHttpResult>> ChangeContract(string name, TargetContractRequest body, ChainCommands c, CancellationToken ct) =>
        c.ForTarget(name, new ChangeTargetContract(name, body.ContractId!, c.Actor, c.Now), ct);

    internal static AllianceView ViewOf(ChainRegistryState s, AllianceRecord a, IReadOnlyDictionary<string, TargetStatus> statuses) => new(
        a.Id, a.Name,
        a.Members.Select(m => new AllianceMemberView(m.Name, m.MspId, m.ParticipantId)).ToList(),
        a.Networks.Values.Select(n => new NetworkView(n.Id, n.Name, KindOf(n.Kind), n.Endpoints, n.TlsRootCertificates, n.ChainId, n.Channels.ToList())).ToList(),
        a.Contracts.Values.Select(c => new ContractView(c.Id, c.Network, KindOf(a.Networks[c.Network].Kind), c.AbiVersion, c.Channel, c.Chaincode, c.Address,
            a.Networks[c.Network].Kind == ChainKind.Evm && c.Address is null)).ToList(),
        s.Targets.Values.Where(t => t.Alliance == a.Id).Select(t => s.Resolve(t.Name)).OfType<ResolvedTarget>().Select(r => ViewOf(r, statuses)).ToList());

    internal static TargetView ViewOf(ResolvedTarget r, IReadOnlyDictionary<string, TargetStatus> statuses)
    {
        var (t, n, c, cred) = (r.Target, r.Network, r.Contract, r.Target.Credentials);
        var status = statuses.GetValueOrDefault(t.Name);
        return new TargetView(t.Name, t.Alliance, n.Id, KindOf(n.Kind), c.Id, t.Active, t.EverActivated, r.Revision,
            new TargetCredentialsView(cred.PrivateKeyFile, cred.PrivateKeyEnv, cred.CertificateFile, cred.MspId, cred.TlsServerName), t.LegacyTransactions,
            n.ChainId, c.Channel, c.Chaincode, c.Address ?? status?.DeployedAddress,
            status?.AnchoredSize is { } size ? new TargetAnchoringView(size, status.Failures ?? 0, status.LastError, status.FailingSince) : null);
    }

    static string KindOf(ChainKind kind) => kind == ChainKind.Evm ? "evm" : "fabric";
}

/// <summary>What every chain command needs: the mediator, the actor and time, the request's idempotency key, and the views it answers with.</summary>
public sealed class ChainCommands(IMediator mediator, IClock clock, IHttpContextAccessor accessor, IChainTargetStatus status)
{
    HttpContext Http => accessor.HttpContext!;
    public Domain.Common.Actor Actor => Http.User.ToActor();
    public DateTimeOffset Now => clock.UtcNow;

    public async Task<CommandOutcome<ChainRegistryState>> Send(IChainCommand command, CancellationToken ct)
    {
        var key = Http.Request.Headers["Idempotency-Key"].ToString();
        return await mediator.Send(new ExecuteChainCommand(command, new CommandContext(Http.User.Login(), IdempotencyKey: key.Length > 0 ? key : null)), ct);
    }

    /// <summary>Runs a command that adds to an alliance: 201 with the alliance as it is now.</summary>
    public async Task<Results<Created<AllianceView>, ProblemHttpResult>> ForAlliance(string allianceId, IChainCommand command, CancellationToken ct)
    {
        var (problem, view) = await Alliance(allianceId, command, ct);
        return problem is not null ? problem : TypedResults.Created($"/api/v1/chains/alliances/{allianceId}", view);
    }

    public async Task<(ProblemHttpResult? Problem, AllianceView? View)> Alliance(string allianceId, IChainCommand command, CancellationToken ct)
    {
        var outcome = await Send(command, ct);
        if (outcome.Error is { } e) return (P.From(e), null);
        var s = outcome.State!;
        var a = s.Alliances[allianceId];
        return (null, ChainEndpoints.ViewOf(s, a, await status.Of([.. s.Targets.Values.Where(t => t.Alliance == a.Id).Select(t => t.Name)], ct)));
    }

    public async Task<Results<Ok<TargetView>, ProblemHttpResult>> ForTarget(string name, IChainCommand command, CancellationToken ct)
    {
        var outcome = await Send(command, ct);
        return outcome.Error is { } e ? P.From(e) : TypedResults.Ok(await TargetView(outcome.State!, name, ct));
    }

    public async Task<TargetView> TargetView(ChainRegistryState s, string name, CancellationToken ct) =>
        ChainEndpoints.ViewOf(s.Resolve(name)!, await status.Of([name], ct));
}
