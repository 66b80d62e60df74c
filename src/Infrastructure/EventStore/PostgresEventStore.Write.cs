using System.Data;
using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Canonical;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AssetLedger.Infrastructure.EventStore;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// The fast path when every append can be decided from known heads: one statement, no explicit
    /// transaction, so lock, insert, link checks, key claims, notify and commit take one round trip. If the
    /// database refuses it (a stale head, a retried append, a taken key), nothing was written and the batch
    /// is decided again on the checked path.
    /// </summary>
    async Task<AppendResult[]> WriteBatch(WriterConnection conn, List<PendingAppend> batch, List<PendingAnswer> answers, CancellationToken ct)
    {
        if (BatchPlan.FromHints(batch, _heads) is { } plan)
        {
            try
            {
                var append = await conn.Append(ct);
                plan.Rows.Bind(append, answers);
                var basePosition = (long)(await append.ExecuteScalarAsync(ct))!;
                _heads.Observe(plan.NewHeads);
                return plan.Results(basePosition);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                await conn.ResetUnless(ex);
                _log.LogDebug(ex, "The database refused a batch decided from known heads; deciding it from reads.");
            }
        }
        return await WriteChecked(conn, batch, ct, answers);
    }

    /// <summary>Attempts of the checked path before its last refusal is the batch's error.</summary>
    const int CheckedAttempts = 5;

    /// <summary>
    /// The checked path: read what the batch depends on (committed state, without a lock), decide exactly, and write with
    /// the same one-statement call as the fast path, whose constraints refuse the batch if another writer changed any of
    /// it in between; then read and decide again. No lock is held while this process turns around, so a writer that
    /// stops here (a GC pause, a VM stall, SIGSTOP) holds up no other instance.
    /// </summary>
    /// <param name="answers">Stored in the write's transaction; when nothing is to be written, by a statement of their own.</param>
    async Task<AppendResult[]> WriteChecked(WriterConnection conn, List<PendingAppend> batch, CancellationToken ct, List<PendingAnswer>? answers = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var append = await conn.Append(ct);
            var stored = await ReadStored(append.Connection!, batch, ct);
            // What was read is true of committed events: later fast batches on these streams need no read.
            _heads.Observe(stored.Heads);
            var plan = BatchPlan.FromStored(batch, stored);
            if (plan.Rows.Count == 0)
            {
                if (answers is { Count: > 0 })
                {
                    await using var alone = AppendRows.CreateAnswersCommand(append.Connection!, answers);
                    await alone.ExecuteNonQueryAsync(ct);
                }
                return plan.Results(stored.LastPosition);
            }
            plan.Rows.Bind(append, answers ?? []);
            try
            {
                var basePosition = (long)(await append.ExecuteScalarAsync(ct))!;
                _heads.Observe(plan.NewHeads);
                return plan.Results(basePosition);
            }
            catch (PostgresException ex) when (attempt < CheckedAttempts && ex.SqlState is PostgresErrorCodes.UniqueViolation or "AL409")
            {
                _log.LogDebug(ex, "Another writer changed what a checked batch was decided from; deciding it again.");
            }
        }
    }

    /// <summary>
    /// Committed state only: whatever a caller saw before it queued its append is here, and anything committed since
    /// that changes the decision makes <c>event_store_append</c> refuse the rows.
    /// </summary>
    static async Task<StoredState> ReadStored(NpgsqlConnection conn, List<PendingAppend> batch, CancellationToken ct)
    {
        var streamIds = batch.Select(p => p.Request.StreamId).Distinct().ToArray();
        var eventIds = batch.SelectMany(p => p.Events.Select(e => e.Source.EventId)).ToArray();
        var keys = batch.SelectMany(p => p.Request.UniqueKeys ?? []).Distinct().ToArray();
        var claims = batch.Select(p => p.Request.Claim).OfType<IdempotencyClaim>().Select(c => c.Key).Distinct().ToArray();
        var stored = new StoredState(0, new Dictionary<string, Head>(StringComparer.Ordinal), [], new HashSet<string>(StringComparer.Ordinal), []);

        await using var lookup = new NpgsqlBatch(conn);
        lookup.BatchCommands.Add(new NpgsqlBatchCommand("SELECT last_position FROM event_sequence WHERE id = 1"));
        lookup.BatchCommands.Add(Command(
            """
            SELECT s.stream_id, e.version, e.hash FROM unnest($1::text[]) AS s(stream_id)
            CROSS JOIN LATERAL (SELECT version, hash FROM events WHERE stream_id = s.stream_id ORDER BY version DESC LIMIT 1) AS e
            """, (object)streamIds));
        lookup.BatchCommands.Add(Command("SELECT event_id, stream_id, version, position, hash FROM events WHERE event_id = ANY($1::uuid[])", eventIds));
        lookup.BatchCommands.Add(Command("SELECT key FROM unique_keys WHERE key = ANY($1::text[])", (object)keys));
        if (claims.Length > 0)
            lookup.BatchCommands.Add(Command(
                "SELECT i.participant_id, i.key FROM unnest($1::text[], $2::text[]) AS c(participant_id, key) JOIN idempotency_keys i USING (participant_id, key)",
                claims.Select(c => c.Participant).ToArray(), claims.Select(c => c.Key).ToArray()));
        await using var r = await lookup.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        stored = stored with { LastPosition = r.GetInt64(0) };
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct)) stored.Heads[r.GetString(0)] = new Head(r.GetInt64(1), EventHasher.Hex((byte[])r[2]));
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
            stored.Events[r.GetGuid(0)] = (r.GetString(1), new AppendedEvent(r.GetGuid(0), r.GetInt64(2), r.GetInt64(3), EventHasher.Hex((byte[])r[4])));
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct)) stored.TakenKeys.Add(r.GetString(0));
        if (claims.Length > 0)
        {
            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct)) stored.TakenClaims.Add(new IdempotencyKey(r.GetString(0), r.GetString(1)));
        }
        return stored;
    }

    /// <remarks>Pass a single string[] as <c>(object)array</c>: array covariance would spread it over the params.</remarks>
    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var c = new NpgsqlBatchCommand(sql);
        foreach (var v in values) c.Parameters.Add(new NpgsqlParameter { Value = v });
        return c;
    }

    /// <summary>
    /// A writer's own connection, kept open between batches: a pooled connection may be reset (DISCARD ALL) each
    /// time it goes back to the pool (the service's is not: DatabaseConnections), which also drops prepared statements,
    /// and parsing and planning the statements afresh was a quarter of the server's time per batch.
    /// </summary>
    sealed class WriterConnection(NpgsqlDataSource db) : IAsyncDisposable
    {
        NpgsqlConnection? _conn;
        NpgsqlCommand? _append;

        /// <summary>The prepared call of <c>event_store_append</c> on an open connection.</summary>
        public async Task<NpgsqlCommand> Append(CancellationToken ct)
        {
            if (_append is not null && _conn is { FullState: ConnectionState.Open }) return _append;
            await DisposeAsync();
            _conn = await db.OpenConnectionAsync(ct);
            _append = AppendRows.CreateCommand(_conn);
            await _append.PrepareAsync(ct);
            return _append;
        }

        /// <summary>After an error from the server the connection is fine; after any other it may be broken, so open a new one.</summary>
        public async Task ResetUnless(Exception ex)
        {
            if (ex is not PostgresException) await DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_append is not null) await _append.DisposeAsync();
            if (_conn is not null) await _conn.DisposeAsync();
            (_append, _conn) = (null, null);
        }
    }
}
