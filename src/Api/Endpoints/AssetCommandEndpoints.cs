using AssetLedger.Api.Hosting;
using AssetLedger.Api.Contracts;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using static AssetLedger.Api.Contracts.RequestMapping;
using static AssetLedger.Api.Problems.RequestErrors;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>The asset command table over HTTP: one POST per command, answered with the new version and event ids.</summary>
public static class AssetCommandEndpoints
{
    public static RouteGroupBuilder MapAssetCommands(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/assets").WithTags("Asset commands").RequireAuthorization().WithCommandProblems()
            // Every endpoint here writes one command's append and nothing else: its Idempotency-Key rides in that append.
            .WithMetadata(Idempotency.IdempotencyMiddleware.ReservedByTheAppend.Instance);
        g.MapPost("/", Register).WithSummary("Register an asset (warehouse receipt, receivable or intangible)").Accepts<RegisterAssetRequest>("application/json");
        g.MapPost("/{id}/confirmations", Confirm).WithSummary("Confirm (确权) or reject a pending asset, as one of its required confirmers");
        g.MapPost("/{id}/amendments", Amend).WithSummary("Amend an active, unlocked asset; a material change returns it to Pending");
        g.MapPost("/{id}/transfer-offer", Offer).WithSummary("Offer the asset to a new owner (the owner)");
        g.MapPost("/{id}/transfer-offer/accept", Accept).WithSummary("Accept the pending transfer offer (the assignee)");
        g.MapPost("/{id}/transfer-offer/decline", Decline).WithSummary("Decline the pending transfer offer (the assignee)");
        g.MapPost("/{id}/transfer-offer/withdraw", Withdraw).WithSummary("Withdraw the pending transfer offer (the owner)");
        g.MapPost("/{id}/transfer-out", TransferOutTo).WithSummary("Transfer the asset out to a venue: a trading center (Trade) or a bank (Financing, pledge)");
        g.MapPost("/{id}/return", Return).WithSummary("Return the asset from the venue holding it, optionally to a new owner");
        g.MapPost("/{id}/freeze", Freeze).WithSummary("Freeze the asset (regulator or court)");
        g.MapPost("/{id}/unfreeze", Unfreeze).WithSummary("Lift one freeze (regulator or court)");
        g.MapPost("/{id}/cancel", Cancel).WithSummary("Cancel an active, unlocked asset (owner; for a receipt, its warehouse)");
        g.MapPost("/{id}/releases", Release).WithSummary("Release part of a receipt's goods against a delivery order (its warehouse; while out, a request the venue answers, or the venue itself)");
        g.MapPost("/{id}/releases/answer", AnswerRelease).WithSummary("Consent to or refuse the pending release request (the venue holding the receipt)");
        g.MapPost("/{id}/splits", Split).WithSummary("Split a warehouse receipt into new receipts whose quantities sum exactly to it (the owner; while out, the venue holding it)");
        g.MapPost("/{id}/evidence", Evidence).WithSummary("Attach evidence to the asset by its SHA-256 hash");
        return g;
    }

    static async Task<Results<Created<CommandResult>, ProblemHttpResult>> Register(RegisterAssetRequest body, CommandServices s, CancellationToken ct)
    {
        var (result, error) = await s.Send((actor, now) => Registration(body, s.NewAssetId, actor, now), ct);
        if (error is not null) return error;
        return TypedResults.Created($"/api/v1/assets/{result!.AssetId}", result);
    }

    /// <summary>A registration from its request, as the API and the console both build it (the same checks, the same messages).</summary>
    internal static Result<IAssetCommand> Registration(RegisterAssetRequest body, AssetId id, Actor actor, DateTimeOffset now)
    {
        var kind = ParseEnum<AssetKind>(body.Kind, "kind");
        if (kind.Error is { } e1) return e1;
        var owner = Participant(body.OwnerId, "ownerId");
        if (owner.Error is { } e2) return e2;
        var details = Details(body, kind.Value);
        if (details.Error is { } e3) return e3;
        return new RegisterAsset(id, kind.Value, owner.Value, details.Value!, actor, now);
    }

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Confirm(string id, ConfirmationRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a => body.Approve is not { } approve
            ? Invalid("approve", "approve is required: true to confirm, false to reject.")
            : new ConfirmAsset(a, approve, body.Comment, actor, now)), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Amend(string id, AmendmentRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a => Changes(body) is { Error: null } c ? new AmendAsset(a, c.Value!, actor, now) : Changes(body).Error!), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Offer(string id, TransferOfferRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a => Participant(body.ToId, "toId") is { Error: null } to ? new OfferTransfer(a, to.Value, actor, now) : Participant(body.ToId, "toId").Error!), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Accept(string id, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a => new AcceptTransfer(a, actor, now)), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Decline(string id, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a => new DeclineTransfer(a, actor, now)), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Withdraw(string id, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a => new WithdrawTransfer(a, actor, now)), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> TransferOutTo(string id, TransferOutRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a =>
        {
            var venue = Participant(body.VenueId, "venueId");
            if (venue.Error is { } e1) return e1;
            var purpose = ParseEnum<VenuePurpose>(body.Purpose, "purpose");
            if (purpose.Error is { } e2) return e2;
            return new TransferOut(a, venue.Value, new HashSet<Role>(), purpose.Value, actor, now);
        }), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Return(string id, ReturnRequest? body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a =>
        {
            if (body?.NewOwnerId is null) return new ReturnAsset(a, null, actor, now);
            var n = Participant(body.NewOwnerId, "newOwnerId");
            return n.Error is { } e ? e : new ReturnAsset(a, n.Value, actor, now);
        }), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Freeze(string id, FreezeRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a =>
        {
            var authority = body.Authority is null ? FreezeAuthority.Regulatory : ParseEnum<FreezeAuthority>(body.Authority, "authority");
            if (authority.Error is { } e) return e;
            if (authority.Value == FreezeAuthority.IotAlarm) return Invalid("authority", "IotAlarm freezes are placed by the registry's alarm rules, not through the API; use Judicial or Regulatory.");
            return new FreezeAsset(a, body.FreezeId ?? $"frz-{Guid.CreateVersion7():N}", authority.Value, body.Reason ?? "", actor, now);
        }), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Unfreeze(string id, UnfreezeRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a => string.IsNullOrWhiteSpace(body.FreezeId)
            ? Invalid("freezeId", "freezeId is required: the id of the freeze to lift (see GET /api/v1/assets/{id}).")
            : new UnfreezeAsset(a, body.FreezeId, body.Reason, actor, now)), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Cancel(string id, CancelRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a => new CancelAsset(a, body.Reason ?? "", actor, now)), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Release(string id, GoodsReleaseRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a => new ReleaseGoods(a, body.DeliveryOrder ?? "", body.Quantity ?? "", body.Unit, actor, now)), ct);

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> AnswerRelease(string id, GoodsReleaseAnswerRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a => body.Consent is not { } consent
            ? Invalid("consent", "consent is required: true to release the goods, false to refuse.")
            : new AnswerRelease(a, consent, body.Comment, actor, now)), ct);

    static async Task<Results<Created<SplitResult>, ProblemHttpResult>> Split(string id, SplitRequest body, CommandServices s, CancellationToken ct)
    {
        SplitAsset? split = null;
        var (result, error) = await s.Send((actor, now) => With(id, a =>
        {
            if (body.Parts is not { } parts) return Invalid("parts", $"parts is required: 2–{AssetLimits.SplitParts} parts, each with a quantity.");
            // The parts' ids are made here like a registration's; the Domain checks every quantity and number.
            return split = new SplitAsset(a, [.. parts.Select(p => new SplitPartRequest(AssetId.New(), p?.Quantity ?? "", p?.ReceiptNumber))], actor, now);
        }), ct);
        if (error is not null) return error;
        var views = split!.Parts.Select(p => new SplitPartView(p.Asset.ToString(), $"/api/v1/assets/{p.Asset}")).ToList();
        return TypedResults.Created(views[0].Location, new SplitResult(result!.AssetId, result.Version, result.Status, views, result.Events));
    }

    static Task<Results<Ok<CommandResult>, ProblemHttpResult>> Evidence(string id, EvidenceRequest body, CommandServices s, CancellationToken ct) =>
        s.Run((actor, now) => With(id, a =>
        {
            if (body.Sha256 is null || !AssetDetailsRules.Sha256Hex().IsMatch(body.Sha256))
                return Invalid("sha256", "sha256 must be the document's SHA-256 as 64 lower-case hex digits.");
            if (string.IsNullOrWhiteSpace(body.MediaType))
                return Invalid("mediaType", "mediaType is required, e.g. \"application/pdf\".");
            return new AttachEvidence(a, body.Sha256, body.MediaType, body.Description, "api", actor, now);
        }), ct);

    static Result<IAssetCommand> With(string id, Func<AssetId, Result<IAssetCommand>> build) =>
        CommandServices.AssetIdOf(id) is { Error: null } a ? build(a.Value) : CommandServices.AssetIdOf(id).Error!;
}
