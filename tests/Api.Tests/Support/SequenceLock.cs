using Npgsql;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// Holds the row lock of <c>event_sequence</c> from a connection of the test's own, in an open transaction, so every
/// append waits: as a slow commit or another process's long batch would make it. Disposing rolls back, and appends go on.
/// </summary>
public sealed class SequenceLock : IAsyncDisposable
{
    readonly NpgsqlConnection _conn;
    readonly NpgsqlTransaction _tx;

    SequenceLock(NpgsqlConnection conn, NpgsqlTransaction tx) => (_conn, _tx) = (conn, tx);

    public static async Task<SequenceLock> Hold(string connectionString)
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("SELECT last_position FROM event_sequence WHERE id = 1 FOR UPDATE", conn, tx))
            await cmd.ExecuteScalarAsync();
        return new SequenceLock(conn, tx);
    }

    /// <summary>How many of the database's other sessions wait for a lock now (the API's writer, behind this one).</summary>
    public async Task<long> Waiting()
    {
        await using var conn = new NpgsqlConnection(_conn.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        try { await _tx.RollbackAsync(); } catch (NpgsqlException) { } // the session may be gone already (a stopped server)
        await _conn.DisposeAsync();
    }
}
