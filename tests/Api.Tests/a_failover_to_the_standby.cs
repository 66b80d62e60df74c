using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Tests.Support;
using Npgsql;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 15, "What to build" 1, the service's side: it is given both servers of a primary and its synchronous standby,
/// the standby listed first and no target named, as an operator might write it. It writes to the primary; when the
/// primary is lost and the standby promoted (what pg_auto_failover does, scripts/ha.sh), the same running instance writes
/// to the new primary by itself, and every write acknowledged before is there. The full failover under load, with
/// pg_auto_failover, is scripts/bench-failover.sh.
/// </summary>
public sealed class a_failover_to_the_standby : IAsyncLifetime
{
    ThrowawayCluster _primary = null!;
    ThrowawayCluster _standby = null!;
    ApiServer _api = null!;

    public async Task InitializeAsync()
    {
        _primary = await ThrowawayCluster.Create();
        await using (var admin = new NpgsqlConnection(_primary.ConnectionString))
        {
            await admin.OpenAsync();
            // Synchronous: a commit is acknowledged once the standby has it, so a failover loses nothing acknowledged.
            foreach (var sql in new[] { "CREATE DATABASE ledger", "ALTER SYSTEM SET synchronous_standby_names = '*'", "SELECT pg_reload_conf()" })
                await new NpgsqlCommand(sql, admin).ExecuteNonQueryAsync();
        }
        _standby = await ThrowawayCluster.StandbyOf(_primary);
        _api = new ApiServer
        {
            Server = $"Host=127.0.0.1:{_standby.Port},127.0.0.1:{_primary.Port};Username=postgres;Database=postgres;Maximum Pool Size=50",
            Database = "ledger",
        };
        await _api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _standby.DisposeAsync();
        await _primary.DisposeAsync();
    }

    static object Participant(string id) => new { id, name = $"{id} Co., Ltd.", roles = new[] { "Owner" } };

    [Fact]
    public async Task the_running_service_writes_to_the_promoted_standby_and_nothing_acknowledged_is_lost()
    {
        var acknowledged = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = $"before-{i}";
            var r = await _api.Post("/api/v1/participants", "operator", Participant(id));
            Assert.True(r.Status == HttpStatusCode.Created, r.ToString());
            acknowledged.Add(id);
        }

        await _primary.StopImmediately();
        await _standby.Promote();
        // The standby was copied from a primary that required a synchronous standby (its postgresql.auto.conf came
        // along): promoted with none left, it would hold every commit until one connects. A failover manager drops
        // the requirement when no standby remains (pg_auto_failover does); so does this test, as the operator's step.
        await using (var admin = new NpgsqlConnection($"Host=127.0.0.1;Port={_standby.Port};Username=postgres;Database=postgres"))
        {
            await admin.OpenAsync();
            foreach (var sql in new[] { "ALTER SYSTEM RESET synchronous_standby_names", "SELECT pg_reload_conf()" })
                await new NpgsqlCommand(sql, admin).ExecuteNonQueryAsync();
        }

        await Eventually.WaitUntil(async () => (await _api.Post("/api/v1/participants", "operator", Participant("after"), ("Idempotency-Key", "after-failover"))).Status == HttpStatusCode.Created,
            "a write acknowledged by the promoted standby");
        // A pooled connection to the old primary may still answer one request with 503 and Retry-After before the pool
        // drops it; a client retries then, as told. Every acknowledged write must be readable.
        foreach (var id in acknowledged)
            await Eventually.WaitUntil(async () => (await _api.Get($"/api/v1/participants/{id}", "operator")).Status == HttpStatusCode.OK, $"participant {id} readable");
        Assert.Equal(1, await _api.Scalar("SELECT count(*) FROM events WHERE metadata->>'idempotencyKey' = 'after-failover'"));
    }
}
