using System.Net;
using System.Text.Json;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 21: an asset command's Idempotency-Key is reserved by the command's own append (the event store's group commit)
/// instead of a transaction of its own beforehand, and its answer is stored in a later batch. Retries, racing duplicates and
/// other instances must see exactly what they saw when the key was reserved first.
/// </summary>
public sealed class idempotency_keys_in_the_append(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_keyed_registration_reserves_its_key_in_the_transaction_of_its_event_and_is_answered_before_it_answers()
    {
        var key = Guid.NewGuid().ToString();

        var created = await api.Post("/api/v1/assets", "owner-a", Receipt(), ("Idempotency-Key", key));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        // now() is a transaction's start: the same only when the key and the event were written by one transaction.
        Assert.Equal(1, await api.Scalar($"""
            SELECT count(*) FROM idempotency_keys i JOIN events e ON e.metadata->>'idempotencyKey' = i.key AND e.metadata->>'participant' = i.participant_id
            WHERE i.key = '{key}' AND i.reserved_at = e.recorded_at AND i.completed_at IS NOT NULL AND i.status_code = 201
            """));
    }

    [Fact]
    public async Task two_instances_racing_with_one_key_register_once_and_every_retry_gets_that_answer()
    {
        var key = Guid.NewGuid().ToString();
        var body = JsonSerializer.Serialize(Receipt(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var token = await api.Token("owner-a");
        var second = await api.SecondInstance();
        try
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                (i % 2 == 0 ? api : second).SendRaw(HttpMethod.Post, "/api/v1/assets", token, body, ("Idempotency-Key", key))));

            Assert.All(replies, r => Assert.True(r.Status is HttpStatusCode.Created || r.Code == "idempotency.in_progress", r.ToString()));
            var location = Assert.Single(replies.Where(r => r.Status == HttpStatusCode.Created).Select(r => r.Location).Distinct());
            Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE metadata->>'idempotencyKey' = '{key}'"));
            foreach (var instance in new[] { api, second })
            {
                var retry = await instance.SendRaw(HttpMethod.Post, "/api/v1/assets", token, body, ("Idempotency-Key", key));
                Assert.Equal((HttpStatusCode.Created, true, location), (retry.Status, retry.Replayed, retry.Location));
            }
            Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE metadata->>'idempotencyKey' = '{key}'"));
        }
        finally { await second.DisposeAsync(); }
    }

    [Fact]
    public async Task a_key_first_used_by_a_refusal_refuses_another_command_with_it_and_writes_nothing()
    {
        var id = await Active(api);
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var refused = await api.Post($"/api/v1/assets/{id}/return", "owner-a", null, key);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        var events = await api.Scalar("SELECT count(*) FROM events");

        var other = await api.Post("/api/v1/assets", "owner-a", Receipt(), key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        Assert.Equal("idempotency.key_reused", other.Code);
        Assert.Equal(events, await api.Scalar("SELECT count(*) FROM events"));
    }
}
