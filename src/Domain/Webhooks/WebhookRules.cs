using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Webhooks;

/// <summary>What a subscription may name: an absolute http(s) URL without credentials, known event types, known asset kinds.</summary>
public static class WebhookRules
{
    public static DomainError? Check(string? url, IReadOnlyList<string>? eventTypes, IReadOnlyList<string>? assetKinds, int? maxEventsPerRequest = null)
    {
        if (maxEventsPerRequest is < 1 or > WebhookLimits.EventsPerRequest)
            return Invalid("maxEventsPerRequest", $"maxEventsPerRequest must be between 1 (one CloudEvent per request, the default) and {WebhookLimits.EventsPerRequest} (a CloudEvents batch of up to that many).");
        if (string.IsNullOrWhiteSpace(url) || url.Length > WebhookLimits.Url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) ||
            uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
            return Invalid("url", $"url must be an absolute https or http URL of at most {WebhookLimits.Url} characters, with neither credentials nor a fragment.");
        if (eventTypes is { Count: > WebhookLimits.EventTypes })
            return Invalid("eventTypes", $"At most {WebhookLimits.EventTypes} event types.");
        if (eventTypes?.FirstOrDefault(t => !WebhookEventTypes.All.Contains(t, StringComparer.Ordinal)) is { } unknown)
            return Invalid("eventTypes", $"'{Shorten(unknown)}' is no event type; the types are {string.Join(", ", WebhookEventTypes.All)}.");
        if (assetKinds?.FirstOrDefault(k => !Enum.GetNames<AssetKind>().Contains(k, StringComparer.Ordinal)) is { } kind)
            return Invalid("assetKinds", $"'{Shorten(kind)}' is no asset kind; the kinds are {string.Join(", ", Enum.GetNames<AssetKind>())}.");
        return null;
    }

    public static DomainError TooMany(string owner) =>
        new("webhook.too_many", $"{owner} holds {WebhookLimits.PerOwner} subscriptions already; delete one first.", ErrorKind.Conflict);

    public static DomainError NotFound(string id) =>
        new("webhook.not_found", $"No webhook subscription {Shorten(id)} of yours exists.", ErrorKind.NotFound);

    /// <summary>Only the operator subscribes on another participant's behalf (a regulator's system), and only for an existing one.</summary>
    public static DomainError OwnerRefused(string owner) =>
        new("webhook.owner_refused", $"Only the operator may subscribe for another participant, and only for a registered one ('{Shorten(owner)}').", ErrorKind.Forbidden, "participantId");

    public static DomainError BadPosition(long position, long head) =>
        new("webhook.bad_position", $"Replay from a position between 0 and the log's head ({head}), not {position}.", ErrorKind.Invalid, "fromPosition");

    static DomainError Invalid(string field, string message) => new("webhook.invalid", message, ErrorKind.Invalid, field);

    static string Shorten(string s) => s.Length <= 100 ? s : s[..100] + "…";
}
