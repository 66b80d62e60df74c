using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AssetLedger.Infrastructure;

/// <summary>
/// Runs a background worker (the projector, the ledger's tree, checkpoints and anchors) in one of the processes that share
/// a database at a time, so that a second API process adds requests, not a second copy of the same work: with every process
/// running it, each woke on every commit, read the same batch, queued on the same row lock and committed an empty round
/// (issue 21: two processes answered fewer requests than one).
/// <para>
/// The lead is a session advisory lock on a connection held for it (<c>pg_try_advisory_lock</c>, keyed by the worker's
/// name, per database). A process that cannot take it stands by and tries again every <see cref="WorkerLeadOptions.Standby"/>:
/// one statement, nothing else. A leader that dies loses its session, and with it the lock, at once; one that stops (a
/// VM stall, SIGSTOP, a partition) sends no heartbeat on that session, and PostgreSQL ends it after
/// <see cref="WorkerLeadOptions.Silence"/> (<c>idle_session_timeout</c>, set on that session only). Either way another
/// process leads within seconds; a leader whose heartbeat fails stops its work and stands by.
/// </para>
/// <para>
/// Correctness never depends on it: the workers keep their own locks (the tree's size row, the checkpoint head, the
/// projections' cursors, the anchors' cursors), so two leaders for a moment (one that stalled and has not noticed yet)
/// still write each leaf, checkpoint, anchor and read-model row once.
/// </para>
/// </summary>
public sealed class WorkerLead(NpgsqlDataSource db, string name, Func<CancellationToken, Task> work, WorkerLeadOptions options, ILogger log)
    : BackgroundService
{
    /// <summary>Whether this process leads now (the work is running here).</summary>
    public bool Leading { get; private set; }

    /// <summary>The worker's name: the lock's key.</summary>
    public string Name => name;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = await db.OpenConnectionAsync(ct);
                if (await TryLead(conn, ct))
                {
                    try { await Lead(conn, ct); }
                    finally { await Release(conn); }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Worker {Worker}: could not ask for the lead; trying again.", name);
            }
            try { await Task.Delay(options.Standby, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    async Task<bool> TryLead(NpgsqlConnection conn, CancellationToken ct)
    {
        // The lock and the session's silence bound in one statement: a session that holds the lock is always one that
        // PostgreSQL ends when it falls silent; one that did not get it is left as it was (nothing to give back).
        await using var cmd = new NpgsqlCommand(
            """
            SELECT CASE WHEN pg_try_advisory_lock(hashtextextended('assetledger-worker:' || $1, 0))
                        THEN set_config('idle_session_timeout', $2, false) IS NOT NULL ELSE false END
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = $"{(int)options.Silence.TotalMilliseconds}ms" });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    async Task Lead(NpgsqlConnection conn, CancellationToken ct)
    {
        log.LogInformation("Worker {Worker} runs in this process.", name);
        Leading = true;
        using var lead = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = Task.Run(() => work(lead.Token), CancellationToken.None);
        try
        {
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(options.Heartbeat, ct));
                if (running.IsCompleted || ct.IsCancellationRequested) break;
                try
                {
                    await using var beat = new NpgsqlCommand("SELECT 1", conn);
                    await beat.ExecuteScalarAsync(ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    log.LogWarning(ex, "Worker {Worker} lost its lead (its session ended); it stands by.", name);
                    break;
                }
            }
        }
        finally
        {
            await lead.CancelAsync();
            try { await running; }
            catch (OperationCanceledException) { }
            catch (Exception ex) { log.LogError(ex, "Worker {Worker} ended with an error.", name); }
            Leading = false;
        }
    }

    /// <summary>Gives the lock and the timeout back before the connection returns to the pool (<see cref="DatabaseConnections.Undo"/>).</summary>
    static Task Release(NpgsqlConnection conn) => DatabaseConnections.Undo(conn, "SELECT pg_advisory_unlock_all(); RESET idle_session_timeout");
}

public sealed class WorkerLeadOptions
{
    /// <summary>How often a process that does not lead asks for the lead.</summary>
    public TimeSpan Standby { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the leader shows PostgreSQL that it is alive (one statement on the lock's session).</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a leader's session may stay silent before PostgreSQL ends it, and the lead passes on.</summary>
    public TimeSpan Silence { get; set; } = TimeSpan.FromSeconds(10);
}
