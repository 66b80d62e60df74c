using Npgsql;

namespace AssetLedger.Infrastructure;

/// <summary>
/// How the service's sessions are bounded, so that a fault anywhere costs the others seconds, not forever:
/// <list type="bullet">
/// <item><c>idle_in_transaction_session_timeout</c> (<see cref="IdleInTransaction"/>): a process that stops between two
/// statements of a transaction (a GC pause, a VM stall, SIGSTOP, a partition) loses its session, and with it the row
/// locks it held (<c>merkle_tree</c>, <c>checkpoint_head</c>, <c>projection_checkpoints</c>, a login claim), after this
/// long. Our transactions turn around in milliseconds; 3 s leaves room for a long GC pause on a loaded machine and
/// bounds how long one stopped instance can hold up the checkpoints and projections of all the others.</item>
/// <item><c>lock_timeout</c> (<see cref="LockWait"/>): a session that waits for a row lock longer than this gives up
/// (the worker retries next round; a request answers 503). It is longer than <see cref="IdleInTransaction"/>, so a
/// lock held by a stopped process is freed before its waiters give up; it bounds waits on a lock held by anything
/// else (a statement stuck on a client that stopped reading).</item>
/// <item><c>Timeout</c> (connecting, <see cref="Connect"/>) and <c>Command Timeout</c> (<see cref="Command"/>): when
/// PostgreSQL is unreachable (stopped, frozen, partitioned) a request fails within these instead of hanging.</item>
/// <item>Several hosts (a primary and its standby, <c>scripts/ha.sh</c>): the service writes, so it asks for the primary
/// (<c>Target Session Attributes=primary</c>) unless told otherwise. Npgsql remembers what each host was (primary,
/// standby, offline) for <c>Host Recheck Seconds</c>, 10 by default; right after a failover the standby it saw a moment
/// ago is the primary, so it looks again after <see cref="HostRecheck"/> instead. Npgsql itself marks a host offline and
/// clears its pool when a connection to it breaks, so nothing of the old primary's pool is reused.</item>
/// <item><c>No Reset On Close</c>: a connection going back to the pool is not reset (<c>DISCARD ALL</c> before its next
/// use, which also throws away the session's cached plans, the append function's among them). Nothing the service does
/// outlives a transaction: its settings are the startup options above, its advisory locks are transaction-scoped (the
/// migrator's session lock is on a connection of its own, and unlocked; a worker's lead (<see cref="WorkerLead"/>) is unlocked,
/// and its session's <c>idle_session_timeout</c> reset, before its connection goes back), it makes no temporary tables and no session
/// <c>SET</c>, prepared statements are meant to stay, and the two listeners (projections, webhooks) <c>UNLISTEN</c>
/// before their connection goes back (<see cref="Unlisten"/>).</item>
/// <item><c>Max Auto Prepare</c> (<see cref="AutoPrepared"/>): a statement this process runs again and again (after
/// <c>Auto Prepare Min Usages</c>, 5 by default) is prepared on the connection and kept there (the pool does not reset
/// it), so PostgreSQL parses and plans it once per connection instead of on every call. Under the mixed load of issue 21
/// (reads of assets and trace, commands) the statements' own execution took a few hundred microseconds of the 1.2-2.0 ms
/// PostgreSQL spent per request; preparing cut that 35-40 % (scripts/bench/results/bench-api-mixed-s10-prepare.txt).</item>
/// </list>
/// A value the connection string sets itself wins, so an operator can tune them.
/// </summary>
public static class DatabaseConnections
{
    public static readonly TimeSpan IdleInTransaction = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Connect = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Command = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan HostRecheck = TimeSpan.FromSeconds(1);

    /// <summary>Statements each connection keeps prepared: more than the service's busy ones (a command's, a read's, the workers').</summary>
    public const int AutoPrepared = 250;

    /// <summary>The connection string with the bounds above added where it does not set them.</summary>
    public static string Bounded(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql's defaults (15 s to connect, 30 s per command) count as unset.
        if (b.Timeout == 15) b.Timeout = (int)Connect.TotalSeconds;
        if (b.CommandTimeout == 30) b.CommandTimeout = (int)Command.TotalSeconds;
        if (!Sets(connectionString, "No Reset On Close", "NoResetOnClose")) b.NoResetOnClose = true;
        if (!Sets(connectionString, "Max Auto Prepare", "MaxAutoPrepare")) b.MaxAutoPrepare = AutoPrepared;
        Primary(b);
        var options = b.Options ?? "";
        if (!options.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal))
            options += $" -c idle_in_transaction_session_timeout={(int)IdleInTransaction.TotalMilliseconds}";
        if (!options.Contains("lock_timeout", StringComparison.Ordinal))
            options += $" -c lock_timeout={(int)LockWait.TotalMilliseconds}";
        b.Options = options.Trim();
        return b.ConnectionString;
    }

    static bool Sets(string connectionString, params string[] names)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return names.Any(given.ContainsKey);
    }

    /// <summary>
    /// Ends what a listener's <c>LISTEN</c> started before its connection goes back to the pool, where no reset would end it.
    /// </summary>
    public static Task Unlisten(NpgsqlConnection conn) => Undo(conn, "UNLISTEN *");

    /// <summary>
    /// Runs <paramref name="statements"/> that undo a session's state (a LISTEN, a session lock, a setting) before its
    /// connection goes back to the pool, which does not reset it; a connection that cannot take them is broken, and the
    /// pool drops it.
    /// </summary>
    public static async Task Undo(NpgsqlConnection conn, string statements)
    {
        if (conn.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var cmd = new NpgsqlCommand(statements, conn);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException) { }
    }

    /// <summary>The connection string asking for the primary when it names several hosts (see above); used by the migrator too.</summary>
    public static string Primary(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        Primary(b);
        return b.ConnectionString;
    }

    static void Primary(NpgsqlConnectionStringBuilder b)
    {
        if (b.Host?.Contains(',') != true) return;
        b.TargetSessionAttributes ??= "primary";
        if (b.HostRecheckSeconds == 10) b.HostRecheckSeconds = (int)HostRecheck.TotalSeconds;
    }

    /// <summary>A data source on <see cref="Bounded"/> settings: the one the service's requests and workers share.</summary>
    public static NpgsqlDataSource Create(string connectionString) => new NpgsqlDataSourceBuilder(Bounded(connectionString)).Build();
}
