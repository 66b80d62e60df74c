using System.Diagnostics;
using System.Text;
using AssetLedger.Application.Ports;
using AssetLedger.Application.Webhooks;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Webhooks;
using AssetLedger.Infrastructure.Ledger;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>
/// Sends the event log to each subscription from its cursor, in log order, one event at a time: the next event only
/// once the endpoint took this one. Every instance runs it; a lease per subscription (<see cref="WebhookLeases"/>) makes
/// one the deliverer. A stop or a kill mid-request leaves the lease to run out and the cursor where it was, so the next
/// holder sends the same event again with the same <c>webhook-id</c>: never a gap, never a reorder.
/// </summary>
public sealed class WebhookDeliverer(WebhookLeases leases, IWebhookSubscriptions subscriptions, IEventStore store, IParticipantDirectory participants, LedgerKeys keys,
    LedgerOptions ledger, WebhookOptions options, IClock clock, ILogger<WebhookDeliverer> log) : BackgroundService, IWebhookSigningKey
{
    readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        { Timeout = options.Timeout };
    readonly Uri _source = new("urn:assetledger:" + ledger.Origin);

    /// <summary>The registry's <c>v1a</c> public key in the Standard Webhooks form (<c>whpk_</c> + base64 of the Ed25519 key): the ledger's key.</summary>
    public string PublicKey => WebhookSignature.PublicKeyPrefix + Convert.ToBase64String(keys.Ledger.PublicKey);

    protected override Task ExecuteAsync(CancellationToken ct) => Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Lanes)).Select(_ => Lane(ct)));

    async Task Lane(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await DeliverOneRound(ct)) await Task.Delay(options.PollInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                log.LogError(ex, "Webhook delivery failed; retrying.");
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Leases one due subscription and sends it what the log holds after its cursor; false when there was nothing to do.</summary>
    public async Task<bool> DeliverOneRound(CancellationToken ct)
    {
        if (await leases.TakeDue(options.Lease, ct) is not var (s, lease)) return false;
        // The subscriber's roles as they are now: a suspended participant receives nothing until it is active again.
        if (await participants.Find(new ParticipantId(s.Owner), ct) is not { Active: true } owner)
        {
            await leases.Release(s.Id, lease, TimeSpan.FromSeconds(5), ct);
            return false;
        }
        var events = await store.ReadAll(s.Position, options.BatchSize, ct);
        if (events.Count == 0)
        {
            await leases.Release(s.Id, lease, TimeSpan.Zero, ct);
            return false;
        }
        var actor = new Actor(owner.Id, owner.Roles);
        var assets = new AssetStates(store);
        var passed = s.Position;
        var failuresBefore = s.Failures;
        foreach (var e in events)
        {
            var message = await Message(s, actor, assets, e, ct);
            if (message is null) { passed = e.Position; continue; }
            var attempt = await Send(s, e, message, ct);
            if (attempt.Succeeded)
            {
                if (!await leases.Delivered(s.Id, lease, options.Lease, e.Position, attempt, ct)) return true;
                passed = e.Position;
                failuresBefore = 0;
                continue;
            }
            await Fail(s, lease, passed, attempt, failuresBefore, ct);
            return true;
        }
        if (passed > s.Position && !await leases.Skipped(s.Id, lease, options.Lease, passed, ct)) return true;
        await leases.Release(s.Id, lease, TimeSpan.Zero, ct);
        return true;
    }

    /// <summary>The CloudEvent for <paramref name="e"/>, or null when the subscription does not get it (type, kind, audience).</summary>
    async Task<string?> Message(WebhookSubscription s, Actor actor, AssetStates assets, StoredEvent e, CancellationToken ct)
    {
        if (!WebhookEventTypes.ByStoredName.TryGetValue(e.Type, out var type)) return null;
        if (s.EventTypes.Count > 0 && !s.EventTypes.Contains(type)) return null;
        var (before, after) = await assets.Around(e, ct);
        if (s.AssetKinds.Count > 0 && !s.AssetKinds.Contains(after.Kind.ToString())) return null;
        if (!WebhookAudience.Admits(actor, before, after)) return null;
        return WebhookMessage.Body(e, after.Id.ToString(), _source, options.PublicUrl);
    }

    async Task<WebhookAttempt> Send(WebhookSubscription s, StoredEvent e, string body, CancellationToken ct)
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

    async Task Fail(WebhookSubscription s, Guid lease, long passed, WebhookAttempt attempt, int failuresBefore, CancellationToken ct)
    {
        var failures = failuresBefore + 1;
        var failingSince = failuresBefore == 0 || s.FailingSince is null ? attempt.AttemptedAt : s.FailingSince.Value;
        var reason = attempt.StatusCode == 410 ? "The endpoint answered 410 Gone."
            : RetrySchedule.GivesUp(failingSince, attempt.AttemptedAt, options.DisableAfter)
                ? $"Failing since {failingSince:O}, longer than {options.DisableAfter}; last: {attempt.Error}." : null;
        var next = reason is null ? attempt.AttemptedAt + RetrySchedule.After(failures, options.RetryScale) : (DateTimeOffset?)null;
        await leases.Failed(s.Id, lease, passed, attempt with { NextAttemptAt = next }, failingSince, reason, ct);
        if (reason is null) return;
        log.LogWarning("Webhook subscription {Id} of {Owner} disabled: {Reason}", s.Id, s.Owner, reason);
        await NoticeOfDisabling(s with { Position = passed }, reason, attempt.AttemptedAt, ct);
    }

    /// <summary>
    /// Tells the owner through each of its other active subscriptions, once, that this one was disabled and why. Only a
    /// courtesy: the subscription itself (GET /api/v1/webhooks/{id}: health disabled, disabledReason) is the record.
    /// </summary>
    async Task NoticeOfDisabling(WebhookSubscription s, string reason, DateTimeOffset at, CancellationToken ct)
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
