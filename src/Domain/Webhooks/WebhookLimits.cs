namespace AssetLedger.Domain.Webhooks;

/// <summary>Every limit on a webhook subscription: <see cref="WebhookRules"/> enforces them, the API's contracts publish them.</summary>
public static class WebhookLimits
{
    public const int Url = 2048;
    /// <summary>Event types one subscription filters on (none: every asset event).</summary>
    public const int EventTypes = 32;
    /// <summary>Asset kinds one subscription filters on (none: every kind).</summary>
    public const int AssetKinds = 3;
    /// <summary>Subscriptions one participant may hold at once: each costs a deliverer's round.</summary>
    public const int PerOwner = 20;
    /// <summary>
    /// Most events one request may carry for a subscription that takes batches (a CloudEvents JSON batch): enough to
    /// cut the requests a busy log needs a hundredfold, small enough that one request stays well under a megabyte.
    /// </summary>
    public const int EventsPerRequest = 100;
    /// <summary>Attempts one page shows.</summary>
    public const int AttemptsPage = 100;
}
