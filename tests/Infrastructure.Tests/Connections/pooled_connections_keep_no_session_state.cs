using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Infrastructure.Webhooks;
using AssetLedger.Projections;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Connections;

/// <summary>
/// The service's pool takes connections back without a reset (no DISCARD ALL before the next use, issue 21), so whatever a
/// session starts must end before its connection goes back: the two listeners, which LISTEN, must UNLISTEN.
/// </summary>
public sealed class pooled_connections_keep_no_session_state(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public void the_service_pool_takes_connections_back_without_a_reset_unless_the_operator_says_otherwise()
    {
        Assert.True(new NpgsqlConnectionStringBuilder(DatabaseConnections.Bounded(db.ConnectionString)).NoResetOnClose);
        Assert.False(new NpgsqlConnectionStringBuilder(DatabaseConnections.Bounded(db.ConnectionString + ";No Reset On Close=false")).NoResetOnClose);
    }

    [Fact]
    public async Task a_statement_the_service_runs_again_and_again_is_prepared_once_and_kept_across_uses_of_the_connection()
    {
        await using var pool = DatabaseConnections.Create(db.ConnectionString + ";Maximum Pool Size=1");
        const string sql = "SELECT count(*) FROM events WHERE stream_id = $1";
        for (var i = 0; i < 10; i++)
        {
            await using var cmd = pool.CreateCommand(sql);
            cmd.Parameters.Add(new NpgsqlParameter { Value = $"asset-{i}" });
            await cmd.ExecuteScalarAsync();
        }

        await using var prepared = pool.CreateCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1");
        prepared.Parameters.Add(new NpgsqlParameter { Value = sql });
        Assert.Equal(1L, await prepared.ExecuteScalarAsync());
        Assert.Equal(DatabaseConnections.AutoPrepared, new NpgsqlConnectionStringBuilder(DatabaseConnections.Bounded(db.ConnectionString)).MaxAutoPrepare);
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(DatabaseConnections.Bounded(db.ConnectionString + ";Max Auto Prepare=0")).MaxAutoPrepare);
    }

    [Fact]
    public async Task a_stopped_webhook_listener_gives_its_connection_back_listening_to_nothing()
    {
        await using var pool = DatabaseConnections.Create(db.ConnectionString + ";Maximum Pool Size=1");
        using var stop = new CancellationTokenSource();
        var listening = new WebhookWakeups(pool, null, NullLogger<WebhookWakeups>.Instance).Listen(stop.Token);
        var listener = await ListenerPid("assetledger_webhooks");

        await stop.CancelAsync();
        await listening;

        await AssertNothingListens(pool, 1, listener);
    }

    [Fact]
    public async Task a_stopped_projection_runner_gives_its_connection_back_listening_to_nothing()
    {
        await using var pool = DatabaseConnections.Create(db.ConnectionString + ";Maximum Pool Size=2");
        await using var store = new PostgresEventStore(db.DataSource);
        using var stop = new CancellationTokenSource();
        var running = new ProjectionRunner(pool, store).RunAsync(stop.Token);
        var listener = await ListenerPid("LISTEN assetledger_events");

        await stop.CancelAsync();
        await running;

        await AssertNothingListens(pool, 2, listener);
    }

    /// <summary>The backend whose last statement was the listener's LISTEN, once it ran.</summary>
    async Task<int> ListenerPid(string listen)
    {
        for (var i = 0; i < 200; i++)
        {
            await using var cmd = db.DataSource.CreateCommand(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND query LIKE '%' || $1 || '%'");
            cmd.Parameters.Add(new NpgsqlParameter { Value = listen });
            if (await cmd.ExecuteScalarAsync() is int pid) return pid;
            await Task.Delay(50);
        }
        throw new TimeoutException("The listener never listened.");
    }

    /// <summary>The pool's connections (all of them at once) include the listener's own session, and none listens.</summary>
    static async Task AssertNothingListens(NpgsqlDataSource pool, int size, int listener)
    {
        var sessions = new List<(int Pid, long Channels)>();
        var open = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < size; i++)
            {
                var conn = await pool.OpenConnectionAsync();
                open.Add(conn);
                await using var cmd = new NpgsqlCommand("SELECT pg_backend_pid(), (SELECT count(*) FROM pg_listening_channels())", conn);
                await using var r = await cmd.ExecuteReaderAsync();
                await r.ReadAsync();
                sessions.Add((r.GetInt32(0), r.GetInt64(1)));
            }
        }
        finally { foreach (var conn in open) await conn.DisposeAsync(); }
        Assert.Contains(listener, sessions.Select(s => s.Pid));
        Assert.All(sessions, s => Assert.Equal(0L, s.Channels));
    }
}
