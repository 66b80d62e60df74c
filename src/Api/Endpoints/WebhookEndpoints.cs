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

    static async Task<Results<Created<CreatedWebhookView>, ProblemHttpResult>> Create(CreateWebhookRequest body, ClaimsPrincipal user,
        IWebhookSubscriptions store, IParticipantDirectory participants, IEventStore events, IClock clock, CancellationToken ct)
    {
        var actor = user.ToActor();
        if (WebhookRules.Check(body.Url, body.EventTypes, body.AssetKinds) is { } invalid) return P.From(invalid);
        var owner = body.ParticipantId ?? actor.Id.Value;
        if (owner != actor.Id.Value && (!actor.Has(Role.Operator) || await participants.Find(new ParticipantId(owner), ct) is null))
            return P.From(WebhookRules.OwnerRefused(owner));
        var head = await events.HeadPosition(ct);
        if (body.FromPosition is { } from && from > head + 1) return P.From(WebhookRules.BadPosition(from, head));
        var now = clock.UtcNow;
        var s = new WebhookSubscription(Guid.CreateVersion7(), owner, body.Url!, WebhookSignature.NewSecret(), body.EventTypes ?? [], body.AssetKinds ?? [],
            body.FromPosition is { } first ? first - 1 : head, true, null, null, 0, null, now, null, user.Login() ?? actor.Id.Value, now);
        if (!await store.Create(s, WebhookLimits.PerOwner, ct)) return P.From(WebhookRules.TooMany(owner));
        var view = WebhookView.From(s, await store.Lag(s.Id, ct), now);
        return TypedResults.Created($"/api/v1/webhooks/{s.Id}", new CreatedWebhookView(view, s.Secret));
    }

    static async Task<Ok<WebhookListView>> List(ClaimsPrincipal user, IWebhookSubscriptions store, IClock clock, CancellationToken ct)
    {
        var actor = user.ToActor();
        var list = await store.List(actor.Has(Role.Operator) ? null : actor.Id.Value, ct);
        var views = new List<WebhookView>(list.Count);
        foreach (var s in list) views.Add(WebhookView.From(s, await store.Lag(s.Id, ct), clock.UtcNow));
        return TypedResults.Ok(new WebhookListView(views));
    }

    static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IWebhookSubscriptions store, IClock clock, CancellationToken ct) =>
        await Mine(id, user, store, ct) is { } s ? TypedResults.Ok(WebhookView.From(s, await store.Lag(s.Id, ct), clock.UtcNow)) : P.From(WebhookRules.NotFound(id));

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, ClaimsPrincipal user, IWebhookSubscriptions store, CancellationToken ct) =>
        await Mine(id, user, store, ct) is { } s && await store.Delete(s.Id, ct) ? TypedResults.NoContent() : P.From(WebhookRules.NotFound(id));

    static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> Replay(string id, ReplayWebhookRequest body, ClaimsPrincipal user, IWebhookSubscriptions store,
        IEventStore events, IClock clock, CancellationToken ct)
    {
        if (await Mine(id, user, store, ct) is not { } mine) return P.From(WebhookRules.NotFound(id));
        var head = await events.HeadPosition(ct);
        if (body.FromPosition is not { } from || from < 1 || from > head + 1) return P.From(WebhookRules.BadPosition(body.FromPosition ?? 0, head));
        if (!await store.Replay(mine.Id, from - 1, ct) || await store.Find(mine.Id, ct) is not { } s) return P.From(WebhookRules.NotFound(id));
        return TypedResults.Ok(WebhookView.From(s, await store.Lag(s.Id, ct), clock.UtcNow));
    }

    static async Task<Results<Ok<WebhookAttemptsView>, ProblemHttpResult>> Attempts(string id, ClaimsPrincipal user, IWebhookSubscriptions store, CancellationToken ct) =>
        await Mine(id, user, store, ct) is { } s
            ? TypedResults.Ok(new WebhookAttemptsView(await store.Attempts(s.Id, WebhookLimits.AttemptsPage, ct)))
            : P.From(WebhookRules.NotFound(id));

    /// <summary>The subscription if the caller owns it (the operator: any); another's is not found, so ids do not leak.</summary>
    static async Task<WebhookSubscription?> Mine(string id, ClaimsPrincipal user, IWebhookSubscriptions store, CancellationToken ct)
    {
        var actor = user.ToActor();
        return Guid.TryParse(id, out var guid) && await store.Find(guid, ct) is { } s && (s.Owner == actor.Id.Value || actor.Has(Role.Operator)) ? s : null;
    }
}
