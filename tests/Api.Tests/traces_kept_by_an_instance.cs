using System.Net;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Projections.Trace;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.TraceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// A timeline the instance kept (issue 21) is served only while it is what a fresh read would give: the regulator sees the
/// asset's new event and a participant's new role at once, not the kept reading.
/// </summary>
public sealed class traces_kept_by_an_instance(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);

    public Task DisposeAsync() => Task.CompletedTask;

    TraceCache Cache => api.Service<TraceCache>();

    async Task<JsonNode> Timeline(string id)
    {
        var r = await api.Get($"/api/v1/trace/assets/{id}", "reg-1");
        Assert.True(r.Status == HttpStatusCode.OK, r.ToString());
        return r.Json;
    }

    /// <summary>The answer without the moment it was taken at, which differs between any two reads.</summary>
    internal static JsonNode Content(JsonNode trace)
    {
        var copy = trace.DeepClone();
        copy["snapshot"]!.AsObject().Remove("takenAt");
        return copy;
    }

    [Fact]
    public async Task a_kept_timeline_is_served_as_the_fresh_read_it_was_and_a_new_event_is_read_at_once()
    {
        var story = await ReadmeReceipt(api, cancel: false);
        await Settled(api);
        var (hits, stale) = (Cache.Hits, Cache.Stale);

        var fresh = await Timeline(story.Id);
        var kept = await Timeline(story.Id);
        Assert.Equal(hits + 1, Cache.Hits);
        Assert.True(JsonNode.DeepEquals(Content(fresh), Content(kept)), $"read:\n{fresh}\nkept:\n{kept}");
        Assert.Equal(10, kept["events"]!.AsArray().Count);

        await Ok(api.Post($"/api/v1/assets/{story.Id}/cancel", "wh-1", new { reason = "goods released to buyer-b" }));
        await Settled(api, anchored: false);
        var after = await Timeline(story.Id);
        Assert.Equal(stale + 1, Cache.Stale);
        Assert.Equal(11, after["events"]!.AsArray().Count);
        Assert.Equal("asset-cancelled", after["events"]![10]!["type"]!.GetValue<string>());
        Assert.Equal("Cancelled", after["asset"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task kept_timelines_asked_for_at_once_are_checked_together_in_one_statement()
    {
        var ids = new List<string>();
        for (var i = 0; i < 6; i++) ids.Add(await Active(api));
        await Settled(api);
        var queries = api.Service<TraceQueries>();
        var fresh = new List<AssetTrace>();
        foreach (var id in ids) fresh.Add((await queries.Timeline(Id(id), CancellationToken.None))!);
        var (hits, rounds) = (Cache.Hits, queries.CheckRounds);

        // Hold the read models' positions, so every check waits in PostgreSQL where it can be counted.
        await using var holder = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockIt = new Npgsql.NpgsqlCommand("LOCK TABLE projection_checkpoints IN ACCESS EXCLUSIVE MODE", holder, hold))
            await lockIt.ExecuteNonQueryAsync();
        var reads = ids.Select(id => queries.Timeline(Id(id), CancellationToken.None)).ToList();
        const string waiting =
            """
            SELECT count(*) FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE '%last_position%assets%' AND query NOT LIKE 'INSERT%'
            """;
        for (var i = 0; i < 100 && await api.Scalar(waiting) == 0; i++) await Task.Delay(50);
        await Task.Delay(300);
        // One statement waits for all six (the first round may hold only the first check; the rest then wait for the next).
        Assert.Equal(1, await api.Scalar(waiting));
        Assert.All(reads, r => Assert.False(r.IsCompleted));

        await hold.RollbackAsync();
        var answers = await Task.WhenAll(reads);
        Assert.InRange(queries.CheckRounds - rounds, 1, 2);
        Assert.Equal(hits + ids.Count, Cache.Hits);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(fresh[i].Asset.Id, answers[i]!.Asset.Id);
            Assert.Equal(fresh[i].Events.Select(e => e.EventId), answers[i]!.Events.Select(e => e.EventId));
            Assert.True(answers[i]!.Snapshot.TakenAt > fresh[i].Snapshot.TakenAt);
        }
    }

    [Fact]
    public async Task a_round_of_checks_keeps_one_plan_whatever_the_number_of_assets_it_checks()
    {
        var ids = new[] { await Active(api), await Active(api), await Active(api) };
        await Settled(api);
        await using var conn = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        async Task Run(string sql)
        {
            await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        // A registry of some size, where looking up ten assets costs the planner visibly more than looking up one: the read
        // model's rows copied under new keys, in a transaction rolled back at the end.
        await Run("BEGIN");
        await Run("""
            INSERT INTO assets
            SELECT (jsonb_populate_record(null::assets, to_jsonb(a) || jsonb_build_object('asset_id', gen_random_uuid(),
                    'registered_position', -(n * 1000 + a.registered_position), 'natural_key', a.natural_key || '/copy-' || n))).*
            FROM assets a, generate_series(1, 5000 / (SELECT count(*) FROM assets) + 1) n
            """);
        await Run("ANALYZE assets");
        await Run($"PREPARE check_round AS {api.Service<TraceQueries>().CheckRoundSql}");
        // Rounds of one, two and three assets, as they come under load. PostgreSQL plans the first five calls for their values.
        for (var i = 0; i < 12; i++)
            await Run($"EXECUTE check_round('[{string.Join(",", ids.Take(1 + i % 3).Select(id => $"\"{id}\""))}]')");
        await using var plans = new Npgsql.NpgsqlCommand("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'check_round'", conn);
        var counts = (0L, 0L);
        await using (var r = await plans.ExecuteReaderAsync())
            if (await r.ReadAsync()) counts = (r.GetInt64(0), r.GetInt64(1));
        await Run("ROLLBACK");
        await Run("DEALLOCATE check_round");
        // After the first five, the kept plan serves: a round is not planned afresh for its number of assets.
        Assert.Equal((7L, 5L), counts);
    }

    static AssetLedger.Domain.Common.AssetId Id(string id) =>
        AssetLedger.Domain.Common.AssetId.TryParse(id, out var parsed) ? parsed : throw new ArgumentException(id);

    static JsonNode Last(JsonNode? list) => list!.AsArray()[^1]!;

    [Fact]
    public async Task a_role_granted_to_a_participant_the_timeline_names_shows_at_once()
    {
        var story = await ReadmeReceipt(api);
        await Settled(api);
        await Timeline(story.Id);
        var hits = Cache.Hits;
        var owner = Last((await Timeline(story.Id))["ownership"])["owner"]!;
        Assert.Equal(hits + 1, Cache.Hits);
        Assert.Equal("buyer-b", owner["id"]!.GetValue<string>());
        Assert.DoesNotContain("Warehouse", owner["roles"]!.AsArray().Select(r => r!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.OK, (await api.Post("/api/v1/participants/buyer-b/roles", "operator", new { role = "Warehouse" })).Status);
        await api.ProjectionsCaughtUp();
        var after = await Timeline(story.Id);
        Assert.Contains("Warehouse", Last(after["ownership"])["owner"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains("Warehouse", after["events"]!.AsArray()[^2]!["actor"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }
}

/// <summary>
/// An anchor added to the ledger (a chain configured later, say) anchors every event again: a kept timeline, whose proofs were
/// final for the anchors there were, is read again; then, while the new anchor has not reached its events, only their proofs
/// are read again, until they are final. Its own database, as the extra anchor touches every proof in it.
/// </summary>
public sealed class traces_kept_while_an_anchor_is_added(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);

    public Task DisposeAsync() => Task.CompletedTask;

    async Task<JsonNode> Timeline(string id)
    {
        var r = await api.Get($"/api/v1/trace/assets/{id}", "reg-1");
        Assert.True(r.Status == HttpStatusCode.OK, r.ToString());
        return r.Json;
    }

    static IEnumerable<string> Anchors(JsonNode? e) => e!["proof"]!["anchors"]!.AsArray().Select(a => a!["anchor"]!.GetValue<string>());

    static JsonArray Events(JsonNode trace) => trace["events"]!.AsArray();

    [Fact]
    public async Task a_new_anchors_receipts_show_in_a_timeline_kept_before_it()
    {
        var story = await ReadmeReceipt(api);
        await Settled(api);
        var cache = api.Service<TraceCache>();
        await Timeline(story.Id);
        Assert.All(Events(await Timeline(story.Id)), e => Assert.Equal(["local"], Anchors(e)));
        var (hits, proofs, stale) = (cache.Hits, cache.ProofsRead, cache.Stale);
        Assert.True(hits >= 1, "the second read was not served from the cache");

        // A second anchor appears; it has anchored nothing yet. The kept timeline is read whole again.
        await api.Scalar("WITH c AS (INSERT INTO anchor_cursors (anchor) VALUES ('consortium-chain') RETURNING 1) SELECT count(*) FROM c");
        Assert.All(Events(await Timeline(story.Id)), e => Assert.Equal(["local"], Anchors(e)));
        Assert.Equal((hits, stale + 1), (cache.Hits, cache.Stale));

        // It anchors the newest checkpoint, which covers every event: the timeline, kept with its proofs unfinished, has them
        // read again and shows both receipts on each event.
        await api.Scalar(
            """
            WITH r AS (INSERT INTO anchor_receipts (anchor, tree_size, transaction_ref, anchored_at, proof)
                       SELECT 'consortium-chain', max(tree_size), '0xabc', now(), '{}'::jsonb FROM checkpoints RETURNING 1)
            SELECT count(*) FROM r
            """);
        var refreshed = await Timeline(story.Id);
        Assert.Equal(proofs + 1, cache.ProofsRead);
        Assert.All(Events(refreshed), e => Assert.Equal(["consortium-chain", "local"], Anchors(e).Order()));

        // Final now: served as kept, and the same as a read of the whole timeline.
        var kept = await Timeline(story.Id);
        Assert.Equal(hits + 1, cache.Hits);
        cache.Clear();
        var fresh = await Timeline(story.Id);
        foreach (var t in (JsonNode[])[refreshed, kept])
            Assert.True(JsonNode.DeepEquals(traces_kept_by_an_instance.Content(fresh), traces_kept_by_an_instance.Content(t)), $"read:\n{fresh}\nkept:\n{t}");
    }
}
