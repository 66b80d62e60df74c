using System.ComponentModel.DataAnnotations;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Webhooks;

namespace AssetLedger.Api.Contracts;

/// <param name="Url">Where to POST each event (https, or http on a private network).</param>
/// <param name="EventTypes">CloudEvent types to send (<c>cn.assetledger.asset.…</c>); none: every asset event.</param>
/// <param name="AssetKinds">Asset kinds to send; none: every kind.</param>
/// <param name="ParticipantId">The operator only: the participant (a regulator) whose subscription this is; default the caller's.</param>
/// <param name="FromPosition">The first log position to send; default the next event committed.</param>
/// <param name="MaxEventsPerRequest">
/// 1 (the default): each event is one request, a structured CloudEvent (<c>application/cloudevents+json</c>). 2 to 100:
/// a request carries up to that many events in log order as a CloudEvents JSON batch
/// (<c>application/cloudevents-batch+json</c>, an array of the same structured events), so a busy log needs far fewer
/// requests; deduplicate by each CloudEvent's <c>id</c> (docs/integrations.md).
/// </param>
public sealed record CreateWebhookRequest([property: MaxLength(WebhookLimits.Url)] string? Url,
    [property: MaxLength(WebhookLimits.EventTypes)] IReadOnlyList<string>? EventTypes = null,
    [property: MaxLength(WebhookLimits.AssetKinds)] IReadOnlyList<string>? AssetKinds = null,
    [property: MaxLength(ParticipantId.MaxLength), RegularExpression(ParticipantId.Pattern)] string? ParticipantId = null,
    [property: Range(1, long.MaxValue)] long? FromPosition = null,
    [property: Range(1, WebhookLimits.EventsPerRequest)] int? MaxEventsPerRequest = null);

/// <param name="FromPosition">The first log position to send again; every later event follows, with its original id.</param>
public sealed record ReplayWebhookRequest([property: Range(1, long.MaxValue)] long? FromPosition);

/// <param name="Position">The cursor: every event up to this log position was delivered or is not for this subscription.</param>
/// <param name="Health">healthy, retrying, stuck or disabled.</param>
/// <param name="MaxEventsPerRequest">1: one CloudEvent per request; more: CloudEvents JSON batches of up to that many.</param>
public sealed record WebhookView(Guid Id, string Owner, string Url, IReadOnlyList<string> EventTypes, IReadOnlyList<string> AssetKinds,
    long Position, bool Active, string Health, WebhookLagView Lag, int Failures, DateTimeOffset? FailingSince, DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastDeliveredAt, string? DisabledReason, DateTimeOffset? DisabledAt, string CreatedBy, DateTimeOffset CreatedAt,
    int MaxEventsPerRequest)
{
    public static WebhookView From(WebhookSubscription s, WebhookLag lag, DateTimeOffset now) =>
        new(s.Id, s.Owner, s.Url, s.EventTypes, s.AssetKinds, s.Position, s.Active, WebhookHealth.Of(s.Active, s.FailingSince, lag.OldestPendingAt, now),
            WebhookLagView.From(lag, now), s.Failures, s.FailingSince, s.Active ? s.NextAttemptAt : null, s.LastDeliveredAt, s.DisabledReason,
            s.DisabledAt, s.CreatedBy, s.CreatedAt, s.MaxEventsPerRequest);
}

/// <param name="Events">Events committed after the cursor (not all of them need be for this subscription).</param>
/// <param name="Seconds">How long the oldest of them has waited; 0 at the head.</param>
public sealed record WebhookLagView(long Events, double Seconds)
{
    public static WebhookLagView From(WebhookLag lag, DateTimeOffset now) =>
        new(lag.Events, lag.OldestPendingAt is { } at ? Math.Max(0, Math.Round((now - at).TotalSeconds, 3)) : 0);
}

/// <param name="Secret">The HMAC secret (<c>whsec_…</c>) that signs <c>v1</c>: shown this once, store it now.</param>
public sealed record CreatedWebhookView(WebhookView Subscription, string Secret);

public sealed record WebhookListView(IReadOnlyList<WebhookView> Subscriptions);

public sealed record WebhookAttemptsView(IReadOnlyList<WebhookAttempt> Attempts);

/// <param name="PublicKey">The Ed25519 key behind every <c>v1a</c> signature (<c>whpk_</c> + base64), the ledger's own checkpoint key.</param>
public sealed record WebhookSigningKeyView(string PublicKey, IReadOnlyList<string> EventTypes);
