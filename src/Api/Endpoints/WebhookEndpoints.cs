using AssetLedger.Api.Contracts;
using AssetLedger.Api.Hosting;
using AssetLedger.Api.Security;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Webhooks;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// Webhook subscriptions: a participant's endpoint receives the asset events it may see as signed CloudEvents, from a
/// cursor of its own in the log (docs/integrations.md). Each participant sees and manages its own; the operator all of
/// them, and subscribes on a regulator's behalf.
/// </summary>
public static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization();
        app.MapGet("/api/v1/webhooks/signing-key", SigningKey).WithTags("Webhooks").AllowAnonymous()
            .WithSummary("The registry's Ed25519 key behind v1a signatures, and the event types one may subscribe to");
        g.MapPost("/", Create).WithCommandProblems().WithSummary("Subscribe an endpoint to asset events (its secret is shown this once)");
        g.MapGet("/", List).WithReadProblems().WithSummary("Your subscriptions (the operator: all) with cursor, lag and health");
        g.MapGet("/{id}", Get).WithReadProblems().WithSummary("One subscription with its cursor, lag in events and seconds, and health");
        g.MapDelete("/{id}", Delete).WithReadProblems().WithSummary("Delete a subscription; nothing more is sent to it");
        g.MapPost("/{id}/replay", Replay).WithCommandProblems().WithSummary("Send again every event from a log position on (same ids); re-enables a disabled subscription");
        g.MapGet("/{id}/attempts", Attempts).WithReadProblems().WithSummary("The newest delivery attempts: event, status, latency, answer code, next attempt");
        return g;
    }

    static Ok<WebhookSigningKeyView> SigningKey(IWebhookSigningKey key) => TypedResults.Ok(new WebhookSigningKeyView(key.PublicKey, WebhookEventTypes.All));

    static async Task<Results<Created<CreatedWebhookView>, ProblemHttpResult>> Create(CreateWebhookRequest body, ClaimsPrincipal user, WebhookManagement webhooks, CancellationToken ct)
    {
        var actor = user.ToActor();
        var made = await webhooks.Subscribe(actor, user.Login() ?? actor.Id.Value, body.Url, body.EventTypes, body.AssetKinds, body.ParticipantId, body.FromPosition, body.MaxEventsPerRequest, ct);
        if (made.Error is { } e) return P.From(e);
        var (w, secret) = made.Value;
        return TypedResults.Created($"/api/v1/webhooks/{w.Subscription.Id}", new CreatedWebhookView(ViewOf(w, webhooks), secret));
    }

    static async Task<Ok<WebhookListView>> List(ClaimsPrincipal user, WebhookManagement webhooks, CancellationToken ct) =>
        TypedResults.Ok(new WebhookListView([.. (await webhooks.List(user.ToActor(), ct)).Select(w => ViewOf(w, webhooks))]));

    static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, WebhookManagement webhooks, CancellationToken ct) =>
        await webhooks.Find(id, user.ToActor(), ct) is { Error: null } found ? TypedResults.Ok(ViewOf(found.Value!, webhooks)) : P.From(WebhookRules.NotFound(id));

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, ClaimsPrincipal user, WebhookManagement webhooks, CancellationToken ct) =>
        await webhooks.Delete(id, user.ToActor(), ct) is { } e ? P.From(e) : TypedResults.NoContent();

    static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> Replay(string id, ReplayWebhookRequest body, ClaimsPrincipal user, WebhookManagement webhooks, CancellationToken ct)
    {
        var replayed = await webhooks.Replay(id, body.FromPosition, user.ToActor(), ct);
        return replayed.Error is { } e ? P.From(e) : TypedResults.Ok(ViewOf(replayed.Value!, webhooks));
    }

    static async Task<Results<Ok<WebhookAttemptsView>, ProblemHttpResult>> Attempts(string id, ClaimsPrincipal user, WebhookManagement webhooks, CancellationToken ct) =>
        await webhooks.Attempts(id, user.ToActor(), ct) is { Error: null } a ? TypedResults.Ok(new WebhookAttemptsView(a.Value!)) : P.From(WebhookRules.NotFound(id));

    static WebhookView ViewOf(ManagedWebhook w, WebhookManagement webhooks) => WebhookView.From(w.Subscription, w.Lag, webhooks.Now);
}
