namespace AssetLedger.Application.Ports;

/// <summary>Webhook subscriptions and their attempts (Infrastructure's tables); the deliverer has its own, wider access.</summary>
public interface IWebhookSubscriptions
{
    /// <summary>Stores a new subscription unless its owner holds <paramref name="limit"/> already; false when it does.</summary>
    Task<bool> Create(WebhookSubscription subscription, int limit, CancellationToken ct);

    /// <summary>The owner's subscriptions, or every one when <paramref name="owner"/> is null (the operator), oldest first.</summary>
    Task<IReadOnlyList<WebhookSubscription>> List(string? owner, CancellationToken ct);

    Task<WebhookSubscription?> Find(Guid id, CancellationToken ct);

    Task<bool> Delete(Guid id, CancellationToken ct);

    /// <summary>Moves the cursor to <paramref name="afterPosition"/>, (re)activates and makes it due now: events after it are sent again, same ids.</summary>
    Task<bool> Replay(Guid id, long afterPosition, CancellationToken ct);

    /// <summary>The newest attempts first.</summary>
    Task<IReadOnlyList<WebhookAttempt>> Attempts(Guid id, int limit, CancellationToken ct);

    /// <summary>How far behind the log's head the subscription is: events, and the age of the oldest it has not passed.</summary>
    Task<WebhookLag> Lag(Guid id, CancellationToken ct);
}

/// <param name="Position">The cursor: every event up to here was delivered or is not for this subscription.</param>
/// <param name="Failures">Failed attempts in a row at the head event.</param>
/// <param name="MaxEventsPerRequest">1: one structured CloudEvent per request; more: a CloudEvents JSON batch of up to that many, in log order.</param>
public sealed record WebhookSubscription(Guid Id, string Owner, string Url, string Secret, IReadOnlyList<string> EventTypes,
    IReadOnlyList<string> AssetKinds, long Position, bool Active, string? DisabledReason, DateTimeOffset? DisabledAt, int Failures,
    DateTimeOffset? FailingSince, DateTimeOffset NextAttemptAt, DateTimeOffset? LastDeliveredAt, string CreatedBy, DateTimeOffset CreatedAt,
    int MaxEventsPerRequest = 1);

/// <param name="Position">The log position of the (first) event the request carried.</param>
/// <param name="EventId">That event's id.</param>
/// <param name="StatusCode">The endpoint's answer; null when none came (refused, timed out).</param>
/// <param name="Events">How many events the request carried: 1, or a batch's size.</param>
public sealed record WebhookAttempt(long Position, Guid EventId, DateTimeOffset AttemptedAt, bool Succeeded, int? StatusCode, string? Error,
    int LatencyMs, DateTimeOffset? NextAttemptAt, int Events = 1);

/// <param name="OldestPendingAt">When the oldest event after the cursor was recorded (null when at the head).</param>
public sealed record WebhookLag(long Head, long Events, DateTimeOffset? OldestPendingAt);

/// <summary>The registry's key behind <c>v1a</c> webhook signatures.</summary>
public interface IWebhookSigningKey
{
    /// <summary><c>whpk_</c> + base64 of the Ed25519 public key.</summary>
    string PublicKey { get; }
}
