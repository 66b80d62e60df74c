using System.Net;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Webhooks;
using Answer = AssetLedger.Api.Tests.Support.WebhookReceiver.Answer;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 19, batched delivery: a subscription with <c>maxEventsPerRequest</c> above 1 receives CloudEvents JSON batches
/// of up to that many events, in log order, signed like any request; what piles up while the endpoint is slow or failing
/// goes in fewer requests, and a batch that failed is sent again from the same first event (a receiver that drops the
/// CloudEvent ids it has seen gets each event once, in order).
/// </summary>
public sealed class webhooks_in_batches(WebhookServer server) : IClassFixture<WebhookServer>
{
    ApiServer Api => server.Api;

    [Fact]
    public async Task what_piles_up_behind_a_slow_and_failing_endpoint_arrives_in_signed_batches_in_log_order()
    {
        await using var receiver = await WebhookReceiver.Start();
        var sub = await Subscribe(Api, "bank-1", receiver.Url,
            new { eventTypes = new[] { "cn.assetledger.asset.transferred-out" }, maxEventsPerRequest = 5 });
        // The first request goes unanswered past the time-out, the next is refused: meanwhile the pledges pile up.
        receiver.Then(Answer.Slow, Answer.Error);
        var pledges = await PledgedToTheBank(Api, 12);

        var received = await receiver.Until(r => r.Count > 0 && r[^1].AnsweredWith == Answer.Ok
            && r.SelectMany(d => d.Events).Select(e => e["id"]!.GetValue<string>()).Distinct().Count() == pledges.Ids.Count, 60);

        // Every request a batch of at most 5, named by its first and last events, signed over its whole body.
        Assert.All(received, d => Assert.StartsWith("application/cloudevents-batch+json", d.ContentType));
        Assert.All(received, d => Assert.InRange(d.Events.Count, 1, 5));
        Assert.All(received, d => Assert.Equal(
            $"batch_{Guid.Parse(d.Events[0]["id"]!.GetValue<string>()):N}_{Guid.Parse(d.Events[^1]["id"]!.GetValue<string>()):N}", d.Id));
        foreach (var d in received) await AssertSigned(Api, sub.Secret, d);
        Assert.Empty(received.SelectMany(d => d.Events.SelectMany(e => BundleSchemaValidator.WebhookProblems($"delivery {d.Id}", e.ToJsonString()))));
        // What piled up went together: fewer requests than events, though two of them failed.
        Assert.Contains(received, d => d.Events.Count > 1);
        Assert.True(received.Count < pledges.Ids.Count, $"{received.Count} requests for {pledges.Ids.Count} events");

        // In log order: each request is a run of the log's events, and starts either where the last one that was
        // answered 2xx ended, or, after a failure, with the same event as the failed one.
        var acknowledged = 0;
        WebhookReceiver.Delivery? failed = null;
        foreach (var d in received)
        {
            var ids = d.Events.Select(e => e["id"]!.GetValue<string>()).ToList();
            Assert.Equal(pledges.Ids.Skip(acknowledged).Take(ids.Count), ids);
            if (failed is not null) Assert.Equal(failed.Events[0]["id"]!.ToString(), ids[0]);
            if (d.AnsweredWith == Answer.Ok) { acknowledged += ids.Count; failed = null; }
            else failed = d;
        }
        Assert.Equal(pledges.Ids.Count, acknowledged);

        // The attempts say how many events each request carried.
        var attempts = (await Api.Get($"/api/v1/webhooks/{sub.Id}/attempts", "bank-1")).Json["attempts"]!.AsArray();
        Assert.Equal(received.Count, attempts.Count);
        Assert.Equal(received.Select(d => d.Events.Count).Reverse(), attempts.Select(a => a!["events"]!.GetValue<int>()));
        Assert.Equal(pledges.Ids.Count, attempts.Where(a => a!["succeeded"]!.GetValue<bool>()).Sum(a => a!["events"]!.GetValue<int>()));
        var view = await Eventually(() => Api.Get($"/api/v1/webhooks/{sub.Id}", "bank-1"), r => r.Json["lag"]!["events"]!.GetValue<long>() == 0);
        Assert.Equal(5, view.Json["maxEventsPerRequest"]!.GetValue<int>());
    }

    [Fact]
    public async Task a_subscription_of_one_event_per_request_is_unchanged()
    {
        await using var receiver = await WebhookReceiver.Start();
        var sub = await Subscribe(Api, "bank-1", receiver.Url, new { eventTypes = new[] { "cn.assetledger.asset.transferred-out" } });
        receiver.Then(Answer.Error);
        var pledges = await PledgedToTheBank(Api, 3);
        var received = await receiver.Until(r => r.Count > 0 && InOrderOnce(r).Count == pledges.Ids.Count && r[^1].AnsweredWith == Answer.Ok);
        Assert.Equal(pledges.Ids, InOrderOnce(received));
        Assert.All(received, d => Assert.StartsWith("application/cloudevents+json", d.ContentType));
        Assert.All(received, d => Assert.Equal(d.Event["id"]!.GetValue<string>(), d.Id));
        Assert.Equal(1, (await Api.Get($"/api/v1/webhooks/{sub.Id}", "bank-1")).Json["maxEventsPerRequest"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task a_batch_size_out_of_range_is_a_problem_that_names_the_field(int size)
    {
        var before = (await Api.Get("/api/v1/webhooks", "bank-1")).Json["subscriptions"]!.AsArray().Count;
        var r = await Api.Post("/api/v1/webhooks", "bank-1", new { url = "http://127.0.0.1:9/hook", maxEventsPerRequest = size });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.Status);
        Assert.Contains("maxEventsPerRequest", r.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, (await Api.Get("/api/v1/webhooks", "bank-1")).Json["subscriptions"]!.AsArray().Count);
    }
}
