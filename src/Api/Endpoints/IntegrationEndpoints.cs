using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Security;
using AssetLedger.Application.Integrations;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Webhooks;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Integrations;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// Inbound notices: a participant's WMS, trading, bank or regulator system reports what happened, signed with the
/// credentials that participant registered (<see cref="SignedNotices"/>), and the notice becomes that participant's
/// ordinary asset command (docs/integrations.md).
/// </summary>
public static class IntegrationEndpoints
{
    public static RouteGroupBuilder MapIntegrations(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/integrations").WithTags("Integrations");
        g.MapPost("/{system}/notices", Receive).AllowAnonymous().WithMetadata(new SignedNotices.Metadata()).WithCommandProblems()
            .WithSummary("A signed notice from a participant's system (wms, trading, bank, regulator), carried out as that participant's command");
        g.MapPut("/notice-credentials", Register).RequireAuthorization().WithCommandProblems()
            .WithSummary("Register the credentials your systems sign notices with: a new HMAC secret (shown this once) and/or an Ed25519 public key");
        g.MapGet("/notice-credentials", Show).RequireAuthorization().WithReadProblems().WithSummary("Your registered notice credentials (never the secret)");
        g.MapDelete("/notice-credentials", Revoke).RequireAuthorization().WithReadProblems().WithSummary("Revoke your notice credentials: no notice of yours verifies any more");
        return g;
    }

    static async Task<Results<Created<CommandResult>, Ok<CommandResult>, ProblemHttpResult>> Receive(string system, NoticeRequest body, CommandServices s, CancellationToken ct)
    {
        if (!NoticeRules.TypesBySystem.ContainsKey(system)) return P.From(NoticeRules.UnknownSystem(system));
        IAssetCommand? command = null;
        var (result, error) = await s.Send((actor, now) =>
        {
            var mapped = NoticeMapping.ToCommand(system, body, s.NewAssetId, actor, now);
            command = mapped.Value;
            return mapped;
        }, ct);
        if (error is not null) return error;
        return command is RegisterAsset ? TypedResults.Created($"/api/v1/assets/{result!.AssetId}", result) : TypedResults.Ok(result!);
    }

    static async Task<Results<Ok<NoticeCredentialsView>, ProblemHttpResult>> Register(NoticeCredentialsRequest body, ClaimsPrincipal user, INoticeCredentials store,
        IClock clock, CancellationToken ct)
    {
        if (body.PublicKey is { } key && NoticeSignature.PublicKeyOf(key) is null) return P.From(NoticeRules.NoCredentials);
        var hmac = body.Hmac ?? body.PublicKey is null;
        if (!hmac && body.PublicKey is null) return P.From(NoticeRules.NoCredentials);
        var actor = user.ToActor();
        var credentials = new NoticeCredentials(actor.Id.Value, hmac ? WebhookSignature.NewSecret() : null, body.PublicKey, user.Login() ?? actor.Id.Value, clock.UtcNow);
        await store.Register(credentials, ct);
        return TypedResults.Ok(View(credentials) with { Secret = credentials.Secret });
    }

    static async Task<Results<Ok<NoticeCredentialsView>, ProblemHttpResult>> Show(ClaimsPrincipal user, INoticeCredentials store, CancellationToken ct) =>
        await store.Find(user.ToActor().Id.Value, ct) is { } c ? TypedResults.Ok(View(c)) : P.From(NoticeRules.NoneRegistered);

    static async Task<Results<NoContent, ProblemHttpResult>> Revoke(ClaimsPrincipal user, INoticeCredentials store, CancellationToken ct) =>
        await store.Delete(user.ToActor().Id.Value, ct) ? TypedResults.NoContent() : P.From(NoticeRules.NoneRegistered);

    static NoticeCredentialsView View(NoticeCredentials c) => new(c.Participant, c.Secret is not null, c.PublicKey, c.RegisteredBy, c.RegisteredAt);
}
