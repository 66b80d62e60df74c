using System.Text;
using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Webhooks;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>
/// An asset event as a CloudEvents 1.0 structured JSON message: <c>id</c> the event id (also the <c>webhook-id</c>, so a
/// redelivery is recognisable), <c>source</c> the registry, <c>type</c> from <see cref="WebhookEventTypes"/>,
/// <c>subject</c> the asset, <c>time</c> when it was recorded, <c>data</c> the event's JSON as the log holds it, and two
/// extensions: <c>logposition</c> (a decimal string: CloudEvents integers are 32-bit, log positions are not) and
/// <c>proofurl</c>, where its inclusion proof is served.
/// </summary>
public static class WebhookMessage
{
    public static readonly CloudEventAttribute LogPosition = CloudEventAttribute.CreateExtension("logposition", CloudEventAttributeType.String);
    public static readonly CloudEventAttribute ProofUrl = CloudEventAttribute.CreateExtension("proofurl", CloudEventAttributeType.UriReference);
    static readonly JsonEventFormatter Formatter = new();

    /// <param name="source">The registry, e.g. <c>urn:assetledger:assetledger.local/ledger</c>.</param>
    /// <param name="publicUrl">The API's public base URL, or null for a proof link relative to it.</param>
    public static string Body(StoredEvent e, string subject, Uri source, Uri? publicUrl)
    {
        var proof = $"/api/v1/ledger/proofs/inclusion?eventId={e.EventId}";
        var ce = new CloudEvent(CloudEventsSpecVersion.V1_0, [LogPosition, ProofUrl])
        {
            Id = e.EventId.ToString(),
            Source = source,
            Type = WebhookEventTypes.ByStoredName[e.Type],
            Subject = subject,
            Time = e.RecordedAt,
            DataContentType = "application/json",
            Data = JsonDocument.Parse(e.Data).RootElement,
        };
        ce[LogPosition] = e.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ce[ProofUrl] = publicUrl is null ? new Uri(proof, UriKind.Relative) : new Uri(publicUrl, proof);
        return Encoding.UTF8.GetString(Formatter.EncodeStructuredModeMessage(ce, out _).Span);
    }

    public const string DisabledType = "cn.assetledger.webhook.disabled";

    /// <summary>
    /// The notice to a subscription's owner that it was disabled, sent to the owner's other active subscriptions: not an
    /// event of the log (no position, no proof), <c>subject</c> the disabled subscription, <c>data</c> why and where it stopped.
    /// </summary>
    public static string Disabled(Guid noticeId, WebhookSubscription s, string reason, DateTimeOffset at, Uri source)
    {
        var ce = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = noticeId.ToString(),
            Source = source,
            Type = DisabledType,
            Subject = s.Id.ToString(),
            Time = at,
            DataContentType = "application/json",
            Data = JsonSerializer.SerializeToElement(new { subscriptionId = s.Id, url = s.Url, reason, disabledAt = at, position = s.Position },
                new JsonSerializerOptions(JsonSerializerDefaults.Web)),
        };
        return Encoding.UTF8.GetString(Formatter.EncodeStructuredModeMessage(ce, out _).Span);
    }

    public const string ContentType = "application/cloudevents+json";

    /// <summary>The CloudEvents JSON batch format: a JSON array of structured events (a subscription that takes batches).</summary>
    public const string BatchContentType = "application/cloudevents-batch+json";

    /// <summary>
    /// The <c>webhook-id</c> of a batch: its first and last events' ids. A batch sent again after a failure starts with
    /// the same event, and carries the same id when it carries the same events; a receiver deduplicates by each
    /// CloudEvent's <c>id</c> inside, which is the unit that never changes.
    /// </summary>
    public static string BatchId(Guid first, Guid last) => $"batch_{first:N}_{last:N}";

    /// <summary>The batch's body: the events' structured bodies (each built once per instance) joined into one JSON array.</summary>
    public static byte[] Batch(IReadOnlyList<byte[]> bodies)
    {
        var length = 2 + bodies.Sum(b => b.Length) + Math.Max(0, bodies.Count - 1);
        var batch = new byte[length];
        var at = 0;
        batch[at++] = (byte)'[';
        for (var i = 0; i < bodies.Count; i++)
        {
            if (i > 0) batch[at++] = (byte)',';
            bodies[i].CopyTo(batch, at);
            at += bodies[i].Length;
        }
        batch[at] = (byte)']';
        return batch;
    }
}
