using System.Diagnostics;
using System.Text;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Webhooks;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Webhooks;
using AssetLedger.Infrastructure.Ledger;
using Microsoft.Extensions.Logging;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>What goes to an endpoint and how: the CloudEvent an event becomes for a subscription (or none), and one signed POST.</summary>
public sealed class WebhookSender(IWebhookSubscriptions subscriptions, LedgerKeys keys, LedgerOptions ledger, WebhookOptions options, IClock clock,
    ILogger<WebhookSender> log) : IWebhookSigningKey
{
    readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        { Timeout = options.Timeout };
    readonly Uri _source = new("urn:assetledger:" + ledger.Origin);

    /// <summary>The registry's <c>v1a</c> public key in the Standard Webhooks form (<c>whpk_</c> + base64 of the Ed25519 key): the ledger's key.</summary>
    public string PublicKey => WebhookSignature.PublicKeyPrefix + Convert.ToBase64String(keys.Ledger.PublicKey);

    /// <summary>The CloudEvent for <paramref name="e"/>, or null when the subscription does not get it (type, kind, audience).</summary>
    internal async Task<string?> Message(WebhookSubscription s, Actor actor, AssetStates assets, StoredEvent e, CancellationToken ct)
    {
        if (!WebhookEventTypes.ByStoredName.TryGetValue(e.Type, out var type)) return null;
        if (s.EventTypes.Count > 0 && !s.EventTypes.Contains(type)) return null;
        var (before, after) = await assets.Around(e, ct);
        if (s.AssetKinds.Count > 0 && !s.AssetKinds.Contains(after.Kind.ToString())) return null;
        if (!WebhookAudience.Admits(actor, before, after)) return null;
        return WebhookMessage.Body(e, after.Id.ToString(), _source, options.PublicUrl);
    }

    /// <summary>Sends <paramref name="body"/> as event <paramref name="e"/>; the attempt as the subscription's attempts list shows it.</summary>
    public async Task<WebhookAttempt> Send(WebhookSubscription s, StoredEvent e, string body, CancellationToken ct)
    {
        var at = clock.UtcNow;
        var (status, error, latency) = await Post(s, e.EventId.ToString(), at, body, ct);
        return new WebhookAttempt(e.Position, e.EventId, at, error is null, status, error, latency, null);
    }

    /// <summary>One signed POST: the endpoint's status, or why there was none, and how long it took.</summary>
    async Task<(int? Status, string? Error, int LatencyMs)> Post(WebhookSubscription s, string id, DateTimeOffset at, string body, CancellationToken ct)
    {
        var ts = at.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, s.Url) { Content = new StringContent(body, Encoding.UTF8, WebhookMessage.ContentType) };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.V1(s.Secret, id, ts, body) + " " + WebhookSignature.V1a(m => keys.Ledger.Sign(m), id, ts, body));
        var watch = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode) error = $"answered {status}";
        }
        catch (HttpRequestException ex) { error = ex.Message; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { error = $"no answer within {options.Timeout.TotalSeconds:0.#} s"; }
        return (status, error, (int)watch.ElapsedMilliseconds);
    }

    /// <summary>
    /// Tells the owner through each of its other active subscriptions, once, that this one was disabled and why. Only a
    /// courtesy: the subscription itself (GET /api/v1/webhooks/{id}: health disabled, disabledReason) is the record.
    /// </summary>
    public async Task NoticeOfDisabling(WebhookSubscription s, string reason, DateTimeOffset at, CancellationToken ct)
    {
        var noticeId = Guid.CreateVersion7();
        var body = WebhookMessage.Disabled(noticeId, s, reason, at, _source);
        foreach (var other in await subscriptions.List(s.Owner, ct))
        {
            if (other.Id == s.Id || !other.Active) continue;
            var (_, error, _) = await Post(other, noticeId.ToString(), clock.UtcNow, body, ct);
            if (error is not null) log.LogWarning("The notice that subscription {Id} was disabled did not reach {Other}: {Error}", s.Id, other.Id, error);
        }
    }
}
