namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>Options under AssetLedger:Webhooks.</summary>
public sealed class WebhookOptions
{
    /// <summary>How long a deliverer holds a subscription without moving its cursor; more than <see cref="Timeout"/>, so a live holder never loses it mid-request.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long an endpoint may take to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>A subscription whose head event has failed for this long is disabled (its owner sees why).</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);
    /// <summary>Multiplies the retry schedule (tests shrink it); 1 in service.</summary>
    public double RetryScale { get; set; } = 1;
    /// <summary>
    /// How often an idle deliverer looks for due subscriptions anyway: only a safety net, since a commit in any instance
    /// wakes it (in-process signal and NOTIFY) and it sleeps no longer than until the next retry falls due.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// The least time between two looks for due subscriptions (issue 21). Every commit wakes the deliverer, and under load
    /// that was a statement for every few requests, nearly always finding nothing due; now a commit within this time of the
    /// last look is looked at when it ends. Subscriptions already held are not held up: their lanes wake on each commit. A
    /// commit after a quiet spell longer than this is looked at at once.
    /// </summary>
    public TimeSpan LookGap { get; set; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Subscriptions one instance serves at once: a slow endpoint occupies one lane, not the others.</summary>
    public int Lanes { get; set; } = 16;
    /// <summary>Most events one batch reads for a subscription (one query, one cursor write).</summary>
    public int BatchSize { get; set; } = 100;
    /// <summary>
    /// Requests one subscription may have open at once. With more than one, requests are started in log order but may
    /// arrive out of it, and a failure sends the events after the failed one again (same ids); the cursor still moves
    /// strictly in log order.
    /// </summary>
    public int InFlight { get; set; } = 1;
    /// <summary>Whether this process delivers (default: when it runs the background workers).</summary>
    public bool? Deliver { get; set; }
    /// <summary>The API's public base URL, for the proof links; relative links when unset.</summary>
    public Uri? PublicUrl { get; set; }
}
