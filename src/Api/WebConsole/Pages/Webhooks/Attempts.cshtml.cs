using AssetLedger.Application.Ports;
using AssetLedger.Application.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace AssetLedger.Api.WebConsole.Pages.Webhooks;

/// <summary>A subscription's newest delivery attempts (GET /api/v1/webhooks/{id}/attempts): event, status, latency, answer code, next attempt.</summary>
public sealed class AttemptsModel(WebhookManagement webhooks) : ConsolePage
{
    public ManagedWebhook? Webhook { get; private set; }
    public IReadOnlyList<WebhookAttempt> Attempts { get; private set; } = [];

    public async Task<IActionResult> OnGet(string id, CancellationToken ct)
    {
        var found = await webhooks.Find(id, Viewer, ct);
        if (found.Error is not null) return NotFound();
        Webhook = found.Value;
        Attempts = (await webhooks.Attempts(id, Viewer, ct)).Value ?? [];
        return Page();
    }
}
