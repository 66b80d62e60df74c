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
/// </list>
/// A value the connection string sets itself wins, so an operator can tune them.
/// </summary>
public static class DatabaseConnections
{
    public static readonly TimeSpan IdleInTransaction = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Connect = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Command = TimeSpan.FromSeconds(30);

    /// <summary>The connection string with the bounds above added where it does not set them.</summary>
    public static string Bounded(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql's defaults (15 s to connect, 30 s per command) count as unset.
        if (b.Timeout == 15) b.Timeout = (int)Connect.TotalSeconds;
        if (b.CommandTimeout == 30) b.CommandTimeout = (int)Command.TotalSeconds;
        var options = b.Options ?? "";
        if (!options.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal))
            options += $" -c idle_in_transaction_session_timeout={(int)IdleInTransaction.TotalMilliseconds}";
        if (!options.Contains("lock_timeout", StringComparison.Ordinal))
            options += $" -c lock_timeout={(int)LockWait.TotalMilliseconds}";
        b.Options = options.Trim();
        return b.ConnectionString;
    }

    /// <summary>A data source on <see cref="Bounded"/> settings: the one the service's requests and workers share.</summary>
    public static NpgsqlDataSource Create(string connectionString) => new NpgsqlDataSourceBuilder(Bounded(connectionString)).Build();
}
