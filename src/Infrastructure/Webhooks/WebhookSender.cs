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

    /// <summary>Whether the subscription gets <paramref name="e"/>: a webhook event of its types and kinds that its owner may see now.</summary>
    internal static bool Admits(WebhookSubscription s, Actor actor, PreparedEvent e) =>
        e is { Type: { } type, Before: { } before, After: { } after }
        && (s.EventTypes.Count == 0 || s.EventTypes.Contains(type))
        && (s.AssetKinds.Count == 0 || s.AssetKinds.Contains(after.Kind.ToString()))
        && WebhookAudience.Admits(actor, before, after);

    /// <summary>
    /// Sends <paramref name="events"/> (in log order) to the subscription in one request: one structured CloudEvent, or,
    /// for a subscription that takes batches, a CloudEvents JSON batch. The attempt as the attempts list shows it.
    /// </summary>
    internal async Task<WebhookAttempt> Send(WebhookSubscription s, IReadOnlyList<PreparedEvent> events, CancellationToken ct)
    {
        var at = clock.UtcNow;
        var (id, m, contentType) = Message(s, events, at);
        var signature = WebhookSignature.V1(s.Secret, m.SignedContent) + " " + m.V1a;
        var (status, error, latency) = await Post(s, id, m.Timestamp, m.Body, signature, ct, contentType);
        return new WebhookAttempt(events[0].Position, events[0].Event.EventId, at, error is null, status, error, latency, null, events.Count);
    }

    /// <summary>
    /// <see cref="Send"/>, blocking the calling thread until the answer: for a lane on its own thread
    /// (<see cref="LaneThread"/>), where the wait costs no pool thread and the answer needs no pool queue to be seen.
    /// </summary>
    internal WebhookAttempt SendBlocking(WebhookSubscription s, IReadOnlyList<PreparedEvent> events, CancellationToken ct)
    {
        var at = clock.UtcNow;
        var (id, m, contentType) = Message(s, events, at);
        var signature = WebhookSignature.V1(s.Secret, m.SignedContent) + " " + m.V1a;
        using var request = Request(s, id, m.Timestamp, m.Body, signature, contentType);
        var (status, error, latency) = Outcome(() => _http.Send(request, HttpCompletionOption.ResponseHeadersRead, ct), ct);
        return new WebhookAttempt(events[0].Position, events[0].Event.EventId, at, error is null, status, error, latency, null, events.Count);
    }

    /// <summary>The request's <c>webhook-id</c>, signed message and content type: one event's shared message, or a batch signed for this request.</summary>
    (string Id, SignedMessage Message, string ContentType) Message(WebhookSubscription s, IReadOnlyList<PreparedEvent> events, DateTimeOffset at)
    {
        if (s.MaxEventsPerRequest <= 1)
        {
            if (events.Count != 1) throw new ArgumentException("A subscription that takes one event per request gets one at a time.", nameof(events));
            return (events[0].Event.EventId.ToString(), Signed(events[0], at), WebhookMessage.ContentType);
        }
        var id = WebhookMessage.BatchId(events[0].Event.EventId, events[^1].Event.EventId);
        var ts = at.ToUnixTimeSeconds();
        var body = WebhookMessage.Batch(events.Select(BodyOf).ToList());
        var content = WebhookSignature.SignedContent(id, ts, body);
        return (id, new SignedMessage(ts, body, content, WebhookSignature.V1a(m => keys.Ledger.Sign(m), content)), WebhookMessage.BatchContentType);
    }

    /// <summary>The event's structured CloudEvent, built once per instance for every subscriber and batch.</summary>
    byte[] BodyOf(PreparedEvent e) =>
        e.Body ??= Encoding.UTF8.GetBytes(WebhookMessage.Body(e.Event, e.After!.Id.ToString(), _source, options.PublicUrl));

    /// <summary>
    /// The event's message, built and signed once for all its subscribers: reused while its timestamp is within
    /// <see cref="SharedFor"/> of now (well inside the receivers' five-minute tolerance), built anew for a later retry.
    /// </summary>
    SignedMessage Signed(PreparedEvent e, DateTimeOffset now)
    {
        var ts = now.ToUnixTimeSeconds();
        if (e.Signed is { } shared && Math.Abs(ts - shared.Timestamp) <= SharedFor.TotalSeconds) return shared;
        var body = BodyOf(e);
        var content = WebhookSignature.SignedContent(e.Event.EventId.ToString(), ts, body);
        var signed = new SignedMessage(ts, body, content, WebhookSignature.V1a(m => keys.Ledger.Sign(m), content));
        e.Signed = signed;
        return signed;
    }

    /// <summary>How long one signed message of an event serves its subscribers before a fresh timestamp is signed.</summary>
    static readonly TimeSpan SharedFor = TimeSpan.FromSeconds(30);

    /// <summary>One signed POST: the endpoint's status, or why there was none, and how long it took.</summary>
    async Task<(int? Status, string? Error, int LatencyMs)> Post(WebhookSubscription s, string id, long ts, ReadOnlyMemory<byte> body, string signature,
        CancellationToken ct, string contentType = WebhookMessage.ContentType)
    {
        using var request = Request(s, id, ts, body, signature, contentType);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return Answered(response, watch);
        }
        catch (Exception ex) when (Failed(ex, ct) is { } error) { return (null, error, (int)watch.ElapsedMilliseconds); }
    }

    (int? Status, string? Error, int LatencyMs) Outcome(Func<HttpResponseMessage> send, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = send();
            return Answered(response, watch);
        }
        catch (Exception ex) when (Failed(ex, ct) is { } error) { return (null, error, (int)watch.ElapsedMilliseconds); }
    }

    static (int? Status, string? Error, int LatencyMs) Answered(HttpResponseMessage response, Stopwatch watch)
    {
        var status = (int)response.StatusCode;
        return (status, response.IsSuccessStatusCode ? null : $"answered {status}", (int)watch.ElapsedMilliseconds);
    }

    /// <summary>Why a request had no answer, as the attempt records it; null for a stop of the service (not the endpoint's fault).</summary>
    string? Failed(Exception ex, CancellationToken ct) => ex switch
    {
        HttpRequestException => ex.Message,
        TaskCanceledException or OperationCanceledException when !ct.IsCancellationRequested => $"no answer within {options.Timeout.TotalSeconds:0.#} s",
        _ => null,
    };

    static HttpRequestMessage Request(WebhookSubscription s, string id, long ts, ReadOnlyMemory<byte> body, string signature, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, s.Url) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType, "utf-8");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);
        return request;
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
            var id = noticeId.ToString();
            var ts = clock.UtcNow.ToUnixTimeSeconds();
            var content = WebhookSignature.SignedContent(id, ts, body);
            var signature = WebhookSignature.V1(other.Secret, content) + " " + WebhookSignature.V1a(m => keys.Ledger.Sign(m), content);
            var (_, error, _) = await Post(other, id, ts, Encoding.UTF8.GetBytes(body), signature, ct);
            if (error is not null) log.LogWarning("The notice that subscription {Id} was disabled did not reach {Other}: {Error}", s.Id, other.Id, error);
        }
    }
}
