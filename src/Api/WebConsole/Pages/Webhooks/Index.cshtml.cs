using AssetLedger.Api.Security;
using AssetLedger.Application.Webhooks;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages.Webhooks;

/// <summary>
/// My webhook subscriptions (the operator: all) with cursor, lag and health, as GET /api/v1/webhooks lists them; the
/// form that subscribes an endpoint, after which the secret is shown this once; delete and replay per subscription.
/// </summary>
public sealed class IndexModel(WebhookManagement webhooks) : ConsolePage
{
    public IReadOnlyList<ManagedWebhook> Subscriptions { get; private set; } = [];
    /// <summary>The new subscription's secret, on the answer to the form that made it, and never again.</summary>
    public (Guid Id, string Secret)? Created { get; private set; }
    public static IReadOnlyList<string> EventTypes => WebhookEventTypes.All;
    public static IReadOnlyList<AssetKind> Kinds { get; } = Enum.GetValues<AssetKind>();
    public DateTimeOffset Now => webhooks.Now;

    public async Task OnGet(CancellationToken ct) => Subscriptions = await webhooks.List(Viewer, ct);

    public async Task<IActionResult> OnPostCreate(string? url, string[]? eventTypes, string[]? assetKinds, string? participantId, long? fromPosition, int? maxEventsPerRequest, CancellationToken ct)
    {
        var made = await webhooks.Subscribe(Viewer, User.Login() ?? Viewer.Id.Value, url, eventTypes ?? [], assetKinds ?? [],
            participantId is { Length: > 0 } ? participantId : null, fromPosition, maxEventsPerRequest, ct);
        await OnGet(ct);
        if (made.Error is { } e) return Refused(e);
        // Shown in the answer, not after a redirect: the secret must not sit in a cookie or a reloadable page.
        Created = (made.Value.Webhook.Subscription.Id, made.Value.Secret);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostDelete(string? id, CancellationToken ct)
    {
        if (await webhooks.Delete(id ?? "", Viewer, ct) is { } e) { await OnGet(ct); return Refused(e); }
        return Done("/console/webhooks", T["done.deletewebhook"]);
    }

    public async Task<IActionResult> OnPostReplay(string? id, long? fromPosition, CancellationToken ct)
    {
        var replayed = await webhooks.Replay(id ?? "", fromPosition, Viewer, ct);
        if (replayed.Error is { } e) { await OnGet(ct); return Refused(e); }
        return Done("/console/webhooks", T["done.replay"]);
    }
}
