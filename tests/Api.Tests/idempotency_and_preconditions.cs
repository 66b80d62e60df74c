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

    /// <summary>The state an instance leaves when it dies after its command committed and before its answer was stored.</summary>
    async Task AnswerNeverStored(string key)
    {
        await using var conn = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("""
            UPDATE idempotency_keys SET completed_at = NULL, status_code = NULL, content_type = NULL, location = NULL, etag = NULL, body = NULL,
                   reserved_at = reserved_at - interval '2 minutes'
            WHERE key = $1
            """, conn);
        cmd.Parameters.Add(new() { Value = key });
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task a_retry_after_the_instance_died_between_commit_and_answer_is_told_it_was_done_and_nothing_is_registered_twice()
    {
        var key = Guid.NewGuid().ToString();
        var body = Receipt();
        var first = await api.Post("/api/v1/assets", "owner-a", body, ("Idempotency-Key", key));
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var asset = first.Json["assetId"]!.GetValue<string>();
        await AnswerNeverStored(key);
        var events = await api.Scalar("SELECT count(*) FROM events");
        var assets = await api.Scalar("SELECT count(*) FROM events WHERE type = 'asset-registered'");

        var retry = await api.Post("/api/v1/assets", "owner-a", body, ("Idempotency-Key", key));
        Assert.Equal(HttpStatusCode.Conflict, retry.Status);
        Assert.Equal("idempotency.answer_lost", retry.Code);
        Assert.Equal($"asset-{asset}", retry.Json["streamId"]!.GetValue<string>());
        Assert.Equal(1, retry.Json["version"]!.GetValue<long>());
        Assert.Contains("not run again", retry.Json["detail"]!.GetValue<string>());
        var again = await api.Post("/api/v1/assets", "owner-a", body, ("Idempotency-Key", key));
        Assert.True(again.Replayed);
        Assert.Equal(retry.Body, again.Body);
        Assert.Equal(events, await api.Scalar("SELECT count(*) FROM events"));
        Assert.Equal(assets, await api.Scalar("SELECT count(*) FROM events WHERE type = 'asset-registered'"));
    }

    [Fact]
    public async Task a_retry_after_the_instance_died_before_its_command_committed_runs_the_command()
    {
        var key = Guid.NewGuid().ToString();
        await using (var conn = new Npgsql.NpgsqlConnection(api.ConnectionString))
        {
            await conn.OpenAsync();
            await using var reserve = new Npgsql.NpgsqlCommand(
                "INSERT INTO idempotency_keys (participant_id, key, request_hash, reserved_at) VALUES ('owner-a', $1, '\\x00', now() - interval '2 minutes')", conn);
            reserve.Parameters.Add(new() { Value = key });
            await reserve.ExecuteNonQueryAsync();
        }
        var assets = await api.Scalar("SELECT count(*) FROM events WHERE type = 'asset-registered'");

        var retry = await api.Post("/api/v1/assets", "owner-a", Receipt(), ("Idempotency-Key", key));

        Assert.Equal(HttpStatusCode.Created, retry.Status);
        Assert.False(retry.Replayed);
        Assert.Equal(assets + 1, await api.Scalar("SELECT count(*) FROM events WHERE type = 'asset-registered'"));
    }
}
