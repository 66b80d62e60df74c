using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Webhooks;

namespace AssetLedger.Application.Webhooks;

/// <summary>A subscription as its owner sees it, with how far behind the log it is.</summary>
public sealed record ManagedWebhook(WebhookSubscription Subscription, WebhookLag Lag);

/// <summary>
/// Subscribing, listing, replaying and deleting webhooks, for the API and the console alike: each participant manages
/// its own subscriptions, the operator all of them (and subscribes on a regulator's behalf). Another's subscription is
/// not found, so ids do not leak.
/// </summary>
public sealed class WebhookManagement(IWebhookSubscriptions store, IParticipantDirectory participants, IEventStore events, IClock clock)
{
    public DateTimeOffset Now => clock.UtcNow;

    /// <param name="forParticipant">Whose subscription (the operator's choice); null: the caller's own.</param>
    /// <param name="fromPosition">The first log position to deliver; null: only events after now.</param>
    /// <param name="maxEventsPerRequest">Most events per request (a CloudEvents batch when more than 1); null: 1.</param>
    public async Task<Result<(ManagedWebhook Webhook, string Secret)>> Subscribe(Actor actor, string createdBy, string? url, IReadOnlyList<string>? eventTypes,
        IReadOnlyList<string>? assetKinds, string? forParticipant, long? fromPosition, int? maxEventsPerRequest, CancellationToken ct)
    {
        if (WebhookRules.Check(url, eventTypes, assetKinds, maxEventsPerRequest) is { } invalid) return invalid;
        var owner = forParticipant ?? actor.Id.Value;
        if (owner != actor.Id.Value && (!actor.Has(Role.Operator) || !ParticipantId.IsWellFormed(owner) || await participants.Find(new ParticipantId(owner), ct) is null))
            return WebhookRules.OwnerRefused(owner);
        var head = await events.HeadPosition(ct);
        if (fromPosition is { } from && (from < 1 || from > head + 1)) return WebhookRules.BadPosition(from, head);
        var now = clock.UtcNow;
        var s = new WebhookSubscription(Guid.CreateVersion7(), owner, url!, WebhookSignature.NewSecret(), eventTypes ?? [], assetKinds ?? [],
            fromPosition is { } first ? first - 1 : head, true, null, null, 0, null, now, null, createdBy, now, maxEventsPerRequest ?? 1);
        if (!await store.Create(s, WebhookLimits.PerOwner, ct)) return WebhookRules.TooMany(owner);
        return (new ManagedWebhook(s, await store.Lag(s.Id, ct)), s.Secret);
    }

    public async Task<IReadOnlyList<ManagedWebhook>> List(Actor actor, CancellationToken ct)
    {
        var list = await store.List(actor.Has(Role.Operator) ? null : actor.Id.Value, ct);
        var views = new List<ManagedWebhook>(list.Count);
        foreach (var s in list) views.Add(new ManagedWebhook(s, await store.Lag(s.Id, ct)));
        return views;
    }

    /// <summary>The subscription if the caller owns it (the operator: any); another's is not found.</summary>
    public async Task<WebhookSubscription?> Mine(string id, Actor actor, CancellationToken ct) =>
        Guid.TryParse(id, out var guid) && await store.Find(guid, ct) is { } s && (s.Owner == actor.Id.Value || actor.Has(Role.Operator)) ? s : null;

    public async Task<Result<ManagedWebhook>> Find(string id, Actor actor, CancellationToken ct) =>
        await Mine(id, actor, ct) is { } s ? new ManagedWebhook(s, await store.Lag(s.Id, ct)) : WebhookRules.NotFound(id);

    public async Task<DomainError?> Delete(string id, Actor actor, CancellationToken ct) =>
        await Mine(id, actor, ct) is { } s && await store.Delete(s.Id, ct) ? null : WebhookRules.NotFound(id);

    /// <summary>Sends again every event from <paramref name="fromPosition"/> on (same ids); re-enables a disabled subscription.</summary>
    public async Task<Result<ManagedWebhook>> Replay(string id, long? fromPosition, Actor actor, CancellationToken ct)
    {
        if (await Mine(id, actor, ct) is not { } mine) return WebhookRules.NotFound(id);
        var head = await events.HeadPosition(ct);
        if (fromPosition is not { } from || from < 1 || from > head + 1) return WebhookRules.BadPosition(fromPosition ?? 0, head);
        if (!await store.Replay(mine.Id, from - 1, ct) || await store.Find(mine.Id, ct) is not { } s) return WebhookRules.NotFound(id);
        return new ManagedWebhook(s, await store.Lag(s.Id, ct));
    }

    public async Task<Result<IReadOnlyList<WebhookAttempt>>> Attempts(string id, Actor actor, CancellationToken ct) =>
        await Mine(id, actor, ct) is { } s ? Result<IReadOnlyList<WebhookAttempt>>.Of(await store.Attempts(s.Id, WebhookLimits.AttemptsPage, ct)) : WebhookRules.NotFound(id);
}
