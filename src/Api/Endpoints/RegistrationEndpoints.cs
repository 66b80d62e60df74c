using System.ComponentModel.DataAnnotations;
using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Problems;
using AssetLedger.Api.Security;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Diagnostics;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Registrations;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Domain.Registrations;
using AssetLedger.Projections.Registrations;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// Security-interest registrations (动产和权利担保登记) in the shape of the unified registry: any active participant
/// registers as secured party; amend, extend (展期) and cancel (注销) are the registrant's; a dispute (异议) is the
/// debtor's or an interested party's; a regulator cancels on a court's order. Registrations are public to every
/// authenticated participant, as the unified registry's are: a search tells a lender what is already pledged.
/// </summary>
public static class RegistrationEndpoints
{
    public static RouteGroupBuilder MapRegistrations(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/registrations").WithTags("Registrations").RequireAuthorization();
        g.MapPost("/", Make).WithCommandProblems().WithSummary("Register a security interest (初始登记) as secured party: debtor, collateral (an asset or a description), term 1–360 months");
        g.MapPost("/{id}/amendments", Amend).WithCommandProblems().WithSummary("Amend the debtor's particulars or the collateral's description (变更登记; registrant)");
        g.MapPost("/{id}/extensions", Extend).WithCommandProblems().WithSummary("Extend before expiry (展期登记; registrant): months added to the current expiry");
        g.MapPost("/{id}/disputes", Dispute).WithCommandProblems().WithSummary("Dispute a registration (异议登记; the debtor or an interested party); lapses after 30 days without a court case");
        g.MapPost("/{id}/court-case", CourtCase).WithCommandProblems().WithSummary("Name the court case brought on a standing dispute (the disputer): the dispute no longer lapses");
        g.MapPost("/{id}/cancellation", Cancel).WithCommandProblems().WithSummary("Cancel (注销登记): the registrant, or a regulator on a court's order");
        g.MapGet("/{id}", Get).WithReadProblems().WithSummary("One registration as the read models hold it, in force or not");
        g.MapGet("/", Search).WithReadProblems().ProducesProblem(422)
            .WithSummary("Search registrations in force and pledges (assets out for financing) by debtorName, creditCode or assetKey (exactly one)");
        g.MapCertificate();
        return g;
    }

    static async Task<Results<Created<RegistrationResult>, ProblemHttpResult>> Make(MakeRegistrationRequest body, RegistrationCommands c, CancellationToken ct)
    {
        var collateral = Collateral(body.Collateral);
        if (collateral.Error is { } bad) return P.From(bad);
        var id = RegistrationId.New();
        var now = c.Now;
        var outcome = await c.Send(new MakeRegistration(id, RegistrationCommandHandler.NewNumber(now), Debtor(body.Debtor)!, collateral.Value!, body.TermMonths ?? 0, false, c.Actor, now), ct);
        if (outcome.Error is { } e) return P.From(e);
        return TypedResults.Created($"/api/v1/registrations/{id}", ResultOf(outcome));
    }

    static Task<Results<Ok<RegistrationResult>, ProblemHttpResult>> Amend(string id, AmendRegistrationRequest body, RegistrationCommands c, CancellationToken ct) =>
        c.Run(id, r => new AmendRegistration(r, Debtor(body.Debtor), body.CollateralDescription, c.Actor, c.Now), ct);

    static Task<Results<Ok<RegistrationResult>, ProblemHttpResult>> Extend(string id, ExtendRegistrationRequest body, RegistrationCommands c, CancellationToken ct) =>
        c.Run(id, r => new ExtendRegistration(r, body.TermMonths ?? 0, c.Actor, c.Now), ct);

    static Task<Results<Ok<RegistrationResult>, ProblemHttpResult>> Dispute(string id, DisputeRegistrationRequest body, RegistrationCommands c, CancellationToken ct) =>
        c.Run(id, r => Enum.TryParse<DisputeCapacity>(body.Capacity, false, out var capacity) && Enum.IsDefined(capacity)
            ? new DisputeRegistration(r, capacity, body.Reason ?? "", c.Actor, c.Now)
            : RequestErrors.Invalid("capacity", "capacity is Debtor or InterestedParty."), ct);

    static Task<Results<Ok<RegistrationResult>, ProblemHttpResult>> CourtCase(string id, CourtCaseRequest body, RegistrationCommands c, CancellationToken ct) =>
        c.Run(id, r => new AddCourtCase(r, body.CaseNumber ?? "", c.Actor, c.Now), ct);

    static Task<Results<Ok<RegistrationResult>, ProblemHttpResult>> Cancel(string id, CancelRegistrationRequest body, RegistrationCommands c, CancellationToken ct) =>
        c.Run(id, r => new CancelRegistration(r, body.Reason ?? "", body.CourtOrder, c.Actor, c.Now), ct);

    static async Task<Results<Ok<RegistrationView>, ProblemHttpResult>> Get(string id, RegistrationQueries queries, CancellationToken ct)
    {
        if (!RegistrationId.TryParse(id, out var rid)) return P.From(ResourceErrors.NotARegistrationId(id));
        return await queries.Find(rid.Value, ct) is { } view ? TypedResults.Ok(view) : P.From(RegistrationErrors.NotFound(rid));
    }

    /// <param name="debtorName">The debtor's name exactly as registered (case ignored); a pledge is found by its owner's registered name.</param>
    /// <param name="creditCode">The debtor's unified social credit code; a pledge is found by its owner's.</param>
    /// <param name="assetKey">An asset's natural key (receipt:{warehouseId}:{receiptNumber}, receivable:…, intangible:…).</param>
    static async Task<Results<Ok<EncumbranceSearch>, ProblemHttpResult>> Search([MaxLength(RegistrationLimits.Name)] string? debtorName,
        [MaxLength(18), RegularExpression(CreditCode.Pattern)] string? creditCode, [MaxLength(RegistryEndpoints.MaxKeyLength)] string? assetKey,
        RegistrationQueries queries, CancellationToken ct)
    {
        var criteria = Criteria(debtorName, creditCode, assetKey);
        if (criteria.Error is { } invalid) return P.From(invalid);
        using (Stages.Start(Stages.RegistrationsSearch)) return TypedResults.Ok(await queries.Search(criteria.Value!, ct));
    }

    internal static Result<RegistrationCriteria> Criteria(string? debtorName, string? creditCode, string? assetKey)
    {
        var given = new[] { debtorName, creditCode, assetKey }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (given != 1) return RequestErrors.Invalid("debtorName", "Search by exactly one of debtorName, creditCode or assetKey.");
        if (creditCode is not null && !CreditCode.IsValid(creditCode)) return RequestErrors.Invalid("creditCode", "creditCode is an 18-character unified social credit code with a valid check character.");
        if (debtorName is { Length: > RegistrationLimits.Name }) return RequestErrors.Invalid("debtorName", $"debtorName is at most {RegistrationLimits.Name} characters.");
        if (assetKey is { Length: > RegistryEndpoints.MaxKeyLength }) return RequestErrors.Invalid("assetKey", $"assetKey is at most {RegistryEndpoints.MaxKeyLength} characters.");
        return new RegistrationCriteria(debtorName?.Trim(), creditCode, assetKey);
    }

    static DebtorParty? Debtor(DebtorRequest? d) => d is null ? null : new DebtorParty(d.Name ?? "", d.CreditCode ?? "");

    static Result<Collateral> Collateral(CollateralRequest? c)
    {
        if (c is null) return RequestErrors.Invalid("collateral", "collateral is required: an asset of this registry (kind RegistryAsset, assetId) or a description.");
        if (!Enum.TryParse<CollateralKind>(c.Kind, false, out var kind) || !Enum.IsDefined(kind))
            return RequestErrors.Invalid("collateral.kind", "collateral.kind is RegistryAsset, Receivables, Equipment or Other.");
        AssetId? asset = null;
        if (c.AssetId is not null)
        {
            if (!AssetId.TryParse(c.AssetId, out var a)) return RequestErrors.Invalid("collateral.assetId", "collateral.assetId is an asset id (a UUID).");
            asset = a;
        }
        return new Collateral(kind, asset, c.Description);
    }

    internal static RegistrationResult ResultOf(CommandOutcome<RegistrationState> o) =>
        new(o.State!.Id.ToString(), o.State.Number, o.Version, o.State.ExpiresAt, o.State.Cancelled, o.Events.Select(AppendedEventView.From).ToList());
}

/// <summary>What every registration command needs: the mediator, the actor and time, the request's tracing and idempotency key.</summary>
public sealed class RegistrationCommands(IMediator mediator, IClock clock, IHttpContextAccessor accessor)
{
    HttpContext Http => accessor.HttpContext!;
    public Actor Actor => Http.User.ToActor();
    public DateTimeOffset Now => clock.UtcNow;

    public ValueTask<CommandOutcome<RegistrationState>> Send(IRegistrationCommand command, CancellationToken ct)
    {
        var key = Http.Request.Headers["Idempotency-Key"].ToString();
        return mediator.Send(new ExecuteRegistrationCommand(command, new CommandContext(Http.User.Login(), Guid.CreateVersion7(), IdempotencyKey: key.Length > 0 ? key : null)), ct);
    }

    public async Task<Results<Ok<RegistrationResult>, ProblemHttpResult>> Run(string id, Func<RegistrationId, Result<IRegistrationCommand>> build, CancellationToken ct)
    {
        if (!RegistrationId.TryParse(id, out var rid)) return P.From(ResourceErrors.NotARegistrationId(id));
        var command = build(rid);
        if (command.Error is { } invalid) return P.From(invalid);
        var outcome = await Send(command.Value!, ct);
        return outcome.Error is { } e ? P.From(e) : TypedResults.Ok(RegistrationEndpoints.ResultOf(outcome));
    }
}
