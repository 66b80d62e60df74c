using System.Net;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

public sealed class idempotency_and_preconditions(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_retry_with_the_same_key_and_body_gets_the_first_answer_and_writes_nothing()
    {
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var body = Receipt();
        var first = await api.Post("/api/v1/assets", "owner-a", body, key);
        var events = await api.Scalar("SELECT count(*) FROM events");
        var second = await api.Post("/api/v1/assets", "owner-a", body, key);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.True(second.Replayed);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Location, second.Location);
        Assert.Equal(first.ETag, second.ETag);
        Assert.Equal(events, await api.Scalar("SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task a_refusal_is_replayed_too()
    {
        var id = await Active(api);
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var first = await api.Post($"/api/v1/assets/{id}/return", "owner-a", null, key);
        Assert.Equal(HttpStatusCode.Conflict, first.Status);
        var second = await api.Post($"/api/v1/assets/{id}/return", "owner-a", null, key);
        Assert.True(second.Replayed);
        Assert.Equal(first.Body, second.Body);
    }

    [Fact]
    public async Task the_same_key_with_another_body_is_422()
    {
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, (await api.Post("/api/v1/assets", "owner-a", Receipt(), key)).Status);
        var events = await api.Scalar("SELECT count(*) FROM events");
        var other = await api.Post("/api/v1/assets", "owner-a", Receipt(), key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        Assert.Equal("idempotency.key_reused", other.Code);
        Assert.Equal(events, await api.Scalar("SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task keys_belong_to_their_participant()
    {
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var a = await api.Post("/api/v1/assets", "owner-a", Receipt(), key);
        var b = await api.Post("/api/v1/assets", "buyer-b", new { kind = "WarehouseReceipt", ownerId = "buyer-b", warehouseId = "wh-1", receiptNumber = $"B-{Guid.NewGuid():N}", commodity = "oil", quantity = "1", unit = "t" }, key);
        Assert.Equal(HttpStatusCode.Created, a.Status);
        Assert.Equal(HttpStatusCode.Created, b.Status);
        Assert.False(b.Replayed);
    }

    [Fact]
    public async Task concurrent_retries_with_one_key_execute_once()
    {
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var body = Receipt();
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => api.Post("/api/v1/assets", "owner-a", body, key)));
        Assert.All(replies, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var created = replies.Where(r => r.Status == HttpStatusCode.Created).Select(r => r.Location).Distinct().ToList();
        Assert.Single(created);
        Assert.All(replies.Where(r => r.Status == HttpStatusCode.Conflict), r => Assert.Equal("idempotency.in_progress", r.Code));
        Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE metadata->>'idempotencyKey' = '{key.Item2}'"));
    }

    [Fact]
    public async Task a_stale_if_match_is_412_and_a_current_one_succeeds()
    {
        var id = await Active(api);
        var current = await api.Get($"/api/v1/assets/{id}", "owner-a");
        Assert.Equal("\"3\"", current.ETag);
        var stale = await api.Post($"/api/v1/assets/{id}/amendments", "owner-a", new { description = "x" }, ("If-Match", "\"2\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal("asset.version_mismatch", stale.Code);
        var ok = await api.Post($"/api/v1/assets/{id}/amendments", "owner-a", new { description = "x" }, ("If-Match", current.ETag!));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("\"4\"", ok.ETag);
        var garbage = await api.Post($"/api/v1/assets/{id}/amendments", "owner-a", new { description = "y" }, ("If-Match", "abc"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, garbage.Status);
    }
}
