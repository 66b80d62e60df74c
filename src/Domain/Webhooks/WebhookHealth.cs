namespace AssetLedger.Domain.Webhooks;

/// <summary>
/// A subscription's health as its owner and the operator see it: <c>disabled</c>; <c>stuck</c> when its head event has
/// failed for longer than <see cref="StuckAfter"/> or waits longer than that for its turn; <c>retrying</c> while a
/// failure is younger; else <c>healthy</c>.
/// </summary>
public static class WebhookHealth
{
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(5);

    public static string Of(bool active, DateTimeOffset? failingSince, DateTimeOffset? oldestPendingAt, DateTimeOffset now) =>
        !active ? "disabled"
        : failingSince is { } since ? (now - since > StuckAfter ? "stuck" : "retrying")
        : oldestPendingAt is { } pending && now - pending > StuckAfter ? "stuck"
        : "healthy";
}
