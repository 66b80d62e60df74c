using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure;

/// <summary>The database's faults as Npgsql reports them: on the way (connecting, reading, writing) or from the server.</summary>
public sealed class PostgresFaults : IDatabaseFaults
{
    public bool IsUnavailable(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is PostgresException p) return IsUnavailable(p.SqlState);
            // Any other Npgsql error is on the way to the server: refused, reset, timed out, the pool exhausted.
            if (e is NpgsqlException) return true;
        }
        return false;
    }

    /// <summary>
    /// 08: connection exceptions; 57P01–57P05: shut down, crashed, starting up, dropped, idle session ended;
    /// 53: out of connections or memory; 55P03: lock_timeout; 25P03: idle_in_transaction_session_timeout;
    /// 57014: a statement cancelled (Command Timeout); 25006: a write on a server that is (now) a standby, as the old
    /// primary is while a failover demotes it.
    /// </summary>
    public static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("57P", StringComparison.Ordinal) ||
        sqlState.StartsWith("53", StringComparison.Ordinal) || sqlState is "55P03" or "25P03" or "57014" or "25006";
}
