using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Idempotency;

/// <summary>
/// Idempotency keys in PostgreSQL (idempotency_keys), and the events a request committed, found by the participant and key
/// that every event's metadata carries: both tables are the event store's, so both queries live here.
/// <para>
/// With <paramref name="events"/>, answers are stored by the event store's writer, in the transaction of its next batch of
/// appends (issue 21: a keyed command is then one commit of its own, the append that reserved its key), and awaited.
/// </para>
/// </summary>
public sealed class PostgresIdempotencyStore(NpgsqlDataSource db, EventStore.PostgresEventStore? events = null) : IIdempotencyStore
{
    static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    /// <summary>A reservation older than this whose request never finished (a crashed instance) may be taken over.</summary>
    static readonly TimeSpan Abandoned = TimeSpan.FromSeconds(60);

    public async Task<IdempotentEntry?> Reserve(IdempotencyKey key, byte[] requestHash, Func<CommittedRequest, IdempotentAnswer> answerLost, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using (var insert = Command(conn, "INSERT INTO idempotency_keys (participant_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", key, requestHash))
                if (await insert.ExecuteNonQueryAsync(ct) == 1) return null;
            IdempotentEntry? row = null;
            await using (var select = Command(conn,
                "SELECT request_hash, reserved_at, status_code, content_type, location, etag, body FROM idempotency_keys WHERE participant_id = $1 AND key = $2", key))
            await using (var r = await select.ExecuteReaderAsync(ct))
                if (await r.ReadAsync(ct))
                    row = new IdempotentEntry((byte[])r[0], r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : new IdempotentAnswer(r.GetInt32(2),
                        r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
                        r.IsDBNull(6) ? null : (byte[])r[6]));
            if (row is null) continue; // released meanwhile: try to reserve again
            var age = DateTimeOffset.UtcNow - row.ReservedAt;
            var abandoned = row.Answer is null && age > Abandoned;
            if (!(age > Retention || abandoned)) return row;
            // An instance that died (or could not store the answer) after its command committed: the events say so.
            // Running the command again would do it twice (a second asset registered), so the retry is told instead.
            if (abandoned && await StoreAnswerLost(conn, key, row.ReservedAt, answerLost, ct) is { } lost) return lost;
            await using var delete = Command(conn, "DELETE FROM idempotency_keys WHERE participant_id = $1 AND key = $2 AND reserved_at = $3", key, row.ReservedAt);
            await delete.ExecuteNonQueryAsync(ct);
        }
        throw new InvalidOperationException("Could not reserve an idempotency key after 3 attempts.");
    }

    public async Task Complete(IdempotencyKey key, IdempotentAnswer answer, CancellationToken ct)
    {
        if (events is not null)
        {
            await events.StoreAnswer(key, answer).WaitAsync(ct);
            return;
        }
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var cmd = Command(conn,
            "UPDATE idempotency_keys SET completed_at = now(), status_code = $3, content_type = $4, location = $5, etag = $6, body = $7 WHERE participant_id = $1 AND key = $2",
            key, answer.Status, answer.ContentType, answer.Location, answer.ETag, answer.Body);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> Answer(IdempotencyKey key, byte[] requestHash, IdempotentAnswer answer, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var cmd = Command(conn, """
            INSERT INTO idempotency_keys (participant_id, key, request_hash, completed_at, status_code, content_type, location, etag, body)
            VALUES ($1, $2, $3, now(), $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING
            """, key, requestHash, answer.Status, answer.ContentType, answer.Location, answer.ETag, answer.Body);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task Settle(IdempotencyKey key, byte[] requestHash, Func<CommittedRequest, IdempotentAnswer> answerLost, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var reserved = Command(conn,
            "SELECT reserved_at FROM idempotency_keys WHERE participant_id = $1 AND key = $2 AND completed_at IS NULL AND request_hash = $3", key, requestHash);
        if (await reserved.ExecuteScalarAsync(ct) is DateTimeOffset at) await StoreAnswerLost(conn, key, at, answerLost, ct);
    }

    public async Task Release(IdempotencyKey key, Func<CommittedRequest, IdempotentAnswer> answerLost, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var reserved = Command(conn, "SELECT reserved_at FROM idempotency_keys WHERE participant_id = $1 AND key = $2 AND completed_at IS NULL", key))
            if (await reserved.ExecuteScalarAsync(ct) is DateTimeOffset at && await StoreAnswerLost(conn, key, at, answerLost, ct) is not null)
                return; // it committed before it failed: retries are told so instead of running it again
        await using var delete = Command(conn, "DELETE FROM idempotency_keys WHERE participant_id = $1 AND key = $2 AND completed_at IS NULL", key);
        await delete.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// When the request reserved at <paramref name="reservedAt"/> committed events but its answer was never stored: stores,
    /// and returns, the answer made of them, unless another instance completed the key meanwhile. Null when it committed nothing.
    /// </summary>
    static async Task<IdempotentEntry?> StoreAnswerLost(NpgsqlConnection conn, IdempotencyKey key, DateTimeOffset reservedAt,
        Func<CommittedRequest, IdempotentAnswer> answerLost, CancellationToken ct)
    {
        CommittedRequest committed;
        // The events_idempotency_key index (0009) finds them; a second of slack for clocks read in different places.
        await using (var find = Command(conn, """
            SELECT stream_id, min(position), max(position), max(version), count(*) FROM events
            WHERE metadata->>'idempotencyKey' = $2 AND metadata->>'participant' = $1 AND recorded_at >= $3
            GROUP BY stream_id ORDER BY min(position) LIMIT 1
            """, key, reservedAt.AddSeconds(-1)))
        await using (var r = await find.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) return null;
            committed = new CommittedRequest(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
        }
        var answer = answerLost(committed);
        await using var store = Command(conn, """
            UPDATE idempotency_keys SET completed_at = now(), status_code = $4, content_type = $5, location = $6, etag = $7, body = $8
            WHERE participant_id = $1 AND key = $2 AND reserved_at = $3 AND completed_at IS NULL
            RETURNING request_hash, reserved_at
            """, key, reservedAt, answer.Status, answer.ContentType, answer.Location, answer.ETag, answer.Body);
        await using var stored = await store.ExecuteReaderAsync(ct);
        return await stored.ReadAsync(ct) ? new IdempotentEntry((byte[])stored[0], stored.GetFieldValue<DateTimeOffset>(1), answer) : null;
    }

    /// <summary>A command on the key's participant ($1) and key ($2), then <paramref name="more"/> ($3…); null is SQL NULL.</summary>
    static NpgsqlCommand Command(NpgsqlConnection conn, string sql, IdempotencyKey key, params object?[] more)
    {
        var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = key.Participant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key.Key });
        foreach (var value in more) cmd.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return cmd;
    }
}
