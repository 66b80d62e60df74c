using AssetLedger.Infrastructure.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Workers;

/// <summary>
/// Issue 21: the projector and the ledger's worker run in one of the API processes on a database at a time
/// (<see cref="WorkerLead"/>); the others stand by, and one of them takes over when the leader stops, dies or falls silent.
/// </summary>
public sealed class one_process_leads_each_worker : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    static readonly WorkerLeadOptions Quick = new() { Standby = TimeSpan.FromMilliseconds(100), Heartbeat = TimeSpan.FromMilliseconds(200), Silence = TimeSpan.FromSeconds(2) };

    /// <summary>One API process's worker on a pool of its own: counts the times its work is running.</summary>
    sealed class Process : IAsyncDisposable
    {
        readonly NpgsqlDataSource _db;
        int _running;

        public Process(NpgsqlDataSource db, string worker, WorkerLeadOptions options)
        {
            _db = db;
            Lead = new WorkerLead(db, worker, Work, options, NullLogger.Instance);
        }

        public WorkerLead Lead { get; }
        public bool Running => Volatile.Read(ref _running) > 0;

        async Task Work(CancellationToken ct)
        {
            Interlocked.Increment(ref _running);
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
            finally { Interlocked.Decrement(ref _running); }
        }

        public async ValueTask DisposeAsync()
        {
            await Lead.StopAsync(CancellationToken.None);
            Lead.Dispose();
            await _db.DisposeAsync();
        }
    }

    Process NewProcess(string worker, WorkerLeadOptions options) => new(DatabaseConnections.Create(_db.ConnectionString), worker, options);

    [Fact]
    public async Task of_two_processes_one_runs_the_worker_and_the_other_takes_over_when_it_stops()
    {
        await using var a = NewProcess("projections", Quick);
        await using var b = NewProcess("projections", Quick);
        await a.Lead.StartAsync(default);
        await b.Lead.StartAsync(default);

        await Eventually.WaitUntil(() => Task.FromResult(a.Running || b.Running), "one process to run the worker");
        var (leader, other) = a.Running ? (a, b) : (b, a);
        await Eventually.WaitUntil(async () => await Lockers("projections") == 1, "the leader's lock");
        // The other asks for the lead every 100 ms: let it ask a few times.
        await Task.Delay(Quick.Standby * 5);
        Assert.False(other.Running);
        Assert.True(leader.Lead.Leading);
        Assert.False(other.Lead.Leading);

        await leader.Lead.StopAsync(default);
        Assert.False(leader.Running);

        await Eventually.WaitUntil(() => Task.FromResult(other.Running), "the other process to take over");
        Assert.True(other.Lead.Leading);
        Assert.Equal(1, await Lockers("projections"));
    }

    [Fact]
    public async Task each_worker_has_a_lead_of_its_own()
    {
        await using var projections = NewProcess("projections", Quick);
        await using var ledger = NewProcess("ledger", Quick);
        await projections.Lead.StartAsync(default);
        await ledger.Lead.StartAsync(default);

        await Eventually.WaitUntil(() => Task.FromResult(projections.Running && ledger.Running), "both workers to run");
    }

    [Fact]
    public async Task a_leader_whose_session_falls_silent_loses_the_lead_to_another_process()
    {
        // A leader that stalls (a VM pause, SIGSTOP) says nothing on its session: here, one whose heartbeat never comes.
        await using var stalled = NewProcess("ledger", new WorkerLeadOptions { Standby = Quick.Standby, Heartbeat = TimeSpan.FromHours(1), Silence = Quick.Silence });
        await stalled.Lead.StartAsync(default);
        await Eventually.WaitUntil(() => Task.FromResult(stalled.Running), "the first process to lead");
        await using var other = NewProcess("ledger", Quick);
        await other.Lead.StartAsync(default);

        await Eventually.WaitUntil(() => Task.FromResult(other.Running), "PostgreSQL to end the silent session and the other process to lead");
        Assert.Equal(1, await Lockers("ledger"));
    }

    [Fact]
    public async Task a_leader_that_dies_frees_the_lead_at_once()
    {
        await using var dying = NewProcess("projections", Quick);
        await dying.Lead.StartAsync(default);
        await Eventually.WaitUntil(() => Task.FromResult(dying.Running), "the first process to lead");
        await using var other = NewProcess("projections", Quick);
        await other.Lead.StartAsync(default);

        // Its sessions end as a killed process's do: the connections close under it.
        await using (var kill = _db.DataSource.CreateCommand(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"))
            await kill.ExecuteNonQueryAsync();

        await Eventually.WaitUntil(() => Task.FromResult(other.Running), "the other process to lead");
        await Eventually.WaitUntil(() => Task.FromResult(!dying.Running), "the first process to notice and stand by");
    }

    [Fact]
    public async Task a_stopped_leader_gives_its_connection_back_without_the_lock_or_the_session_bound()
    {
        await using var pool = DatabaseConnections.Create(_db.ConnectionString + ";Maximum Pool Size=1");
        var lead = new WorkerLead(pool, "projections", ct => Task.Delay(Timeout.Infinite, ct), Quick, NullLogger.Instance);
        await lead.StartAsync(default);
        await Eventually.WaitUntil(async () => await Lockers("projections") == 1, "the lock");

        await lead.StopAsync(default);
        lead.Dispose();

        await using var cmd = pool.CreateCommand("SELECT current_setting('idle_session_timeout'), (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())");
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        Assert.Equal("0", r.GetString(0));
        Assert.Equal(0L, r.GetInt64(1));
    }

    /// <summary>Sessions holding the worker's lock.</summary>
    async Task<long> Lockers(string worker)
    {
        await using var cmd = _db.DataSource.CreateCommand(
            """
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('assetledger-worker:' || $1, 0)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = worker });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
