using System.Security.Claims;
using System.Security.Cryptography;
using Npgsql;

namespace AssetLedger.Api.Idempotency;

/// <summary>
/// Idempotency-Key on POST: the same participant, key and request within 24 hours gets the first answer again
/// and writes nothing; the same key with another request is a 422. The key is reserved in PostgreSQL before the
/// command runs, so retries racing each other (even on different API instances) never both execute.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, NpgsqlDataSource db, ILogger<IdempotencyMiddleware> log)
{
    public const string Header = "Idempotency-Key";
    static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    /// <summary>A reservation older than this whose request never finished (a crashed instance) may be taken over.</summary>
    static readonly TimeSpan Abandoned = TimeSpan.FromSeconds(60);

    public async Task InvokeAsync(HttpContext http)
    {
        var key = http.Request.Headers[Header].ToString();
        var participant = http.User.FindFirstValue(Security.TokenService.ParticipantClaim);
        if (!HttpMethods.IsPost(http.Request.Method) || key.Length == 0 || participant is null)
        {
            await next(http);
            return;
        }
        var ct = http.RequestAborted;
        if (key.Length > 200 || key.Any(char.IsControl))
        {
            await Problems.Problems.From(Problems.AccessErrors.IdempotencyKeyInvalid).ExecuteAsync(http);
            return;
        }

        http.Request.EnableBuffering();
        var hash = await RequestHash(http, ct);
        var existing = await Reserve(participant, key, hash, ct);
        if (existing is not null)
        {
            await Answer(http, existing, hash);
            return;
        }

        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        var completed = false;
        try
        {
            await next(http);
            completed = true;
        }
        finally
        {
            http.Response.Body = original;
            if (completed && http.Response.StatusCode < 500)
                await Complete(participant, key, http.Response, buffer.ToArray());
            else
                await Release(participant, key);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
    }

    static async Task<byte[]> RequestHash(HttpContext http, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n"));
        var chunk = new byte[8192];
        int n;
        while ((n = await http.Request.Body.ReadAsync(chunk, ct)) > 0) sha.AppendData(chunk, 0, n);
        http.Request.Body.Position = 0;
        return sha.GetHashAndReset();
    }

    sealed record Stored(byte[] RequestHash, DateTimeOffset ReservedAt, int? Status, string? ContentType, string? Location, string? ETag, byte[]? Body);

    /// <summary>Reserves the key and returns null, or returns what is stored under it.</summary>
    async Task<Stored?> Reserve(string participant, string key, byte[] hash, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO idempotency_keys (participant_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", conn))
            {
                insert.Parameters.Add(new() { Value = participant });
                insert.Parameters.Add(new() { Value = key });
                insert.Parameters.Add(new() { Value = hash });
                if (await insert.ExecuteNonQueryAsync(ct) == 1) return null;
            }
            await using var select = new NpgsqlCommand(
                "SELECT request_hash, reserved_at, status_code, content_type, location, etag, body FROM idempotency_keys WHERE participant_id = $1 AND key = $2", conn);
            select.Parameters.Add(new() { Value = participant });
            select.Parameters.Add(new() { Value = key });
            Stored? row = null;
            await using (var r = await select.ExecuteReaderAsync(ct))
                if (await r.ReadAsync(ct))
                    row = new Stored((byte[])r[0], r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : r.GetInt32(2),
                        r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
                        r.IsDBNull(6) ? null : (byte[])r[6]);
            if (row is null) continue; // released meanwhile: try to reserve again
            var age = DateTimeOffset.UtcNow - row.ReservedAt;
            var abandoned = row.Status is null && age > Abandoned;
            if (!(age > Retention || abandoned)) return row;
            // An instance that died (or could not store the answer) after its command committed: the events say so.
            // Running the command again would do it twice (a second asset registered), so the retry is told instead.
            if (abandoned && await AnswerLost(conn, participant, key, row.ReservedAt, ct) is { } lost) return lost;
            await using var delete = new NpgsqlCommand("DELETE FROM idempotency_keys WHERE participant_id = $1 AND key = $2 AND reserved_at = $3", conn);
            delete.Parameters.Add(new() { Value = participant });
            delete.Parameters.Add(new() { Value = key });
            delete.Parameters.Add(new() { Value = row.ReservedAt });
            await delete.ExecuteNonQueryAsync(ct);
        }
        throw new InvalidOperationException("Could not reserve an idempotency key after 3 attempts.");
    }

    static async Task Answer(HttpContext http, Stored stored, byte[] hash)
    {
        if (!stored.RequestHash.AsSpan().SequenceEqual(hash))
        {
            await Problems.Problems.From(Problems.AccessErrors.IdempotencyKeyReused).ExecuteAsync(http);
            return;
        }
        if (stored.Status is not { } status)
        {
            await Problems.Problems.From(Problems.AccessErrors.IdempotencyInProgress).ExecuteAsync(http);
            return;
        }
        http.Response.StatusCode = status;
        if (stored.ContentType is { } type) http.Response.ContentType = type;
        if (stored.Location is { } location) http.Response.Headers.Location = location;
        if (stored.ETag is { } etag) http.Response.Headers.ETag = etag;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (stored.Body is { Length: > 0 } body) await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    async Task Complete(string participant, string key, HttpResponse response, byte[] body)
    {
        try
        {
            await using var cmd = db.CreateCommand(
                "UPDATE idempotency_keys SET completed_at = now(), status_code = $3, content_type = $4, location = $5, etag = $6, body = $7 WHERE participant_id = $1 AND key = $2");
            cmd.Parameters.Add(new() { Value = participant });
            cmd.Parameters.Add(new() { Value = key });
            cmd.Parameters.Add(new() { Value = response.StatusCode });
            cmd.Parameters.Add(new() { Value = (object?)response.ContentType ?? DBNull.Value });
            cmd.Parameters.Add(new() { Value = OrNull(response.Headers.Location.ToString()) });
            cmd.Parameters.Add(new() { Value = OrNull(response.Headers.ETag.ToString()) });
            cmd.Parameters.Add(new() { Value = body });
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The command itself succeeded; a retry after this finds the reservation abandoned and, in the events, that it committed.
            log.LogWarning(ex, "Could not store the answer for Idempotency-Key {Key}", key);
        }
    }

    static object OrNull(string s) => s.Length > 0 ? s : DBNull.Value;

    /// <summary>
    /// When the request reserved at <paramref name="reservedAt"/> committed events (its participant and key are in their metadata)
    /// but its answer was never stored: stores, and returns, a 409 problem that says where its events are, so that no retry runs
    /// the command a second time. Null when it committed nothing.
    /// </summary>
    static async Task<Stored?> AnswerLost(NpgsqlConnection conn, string participant, string key, DateTimeOffset reservedAt, CancellationToken ct)
    {
        string stream;
        long first, last, version, count;
        await using (var find = new NpgsqlCommand("""
            SELECT stream_id, min(position), max(position), max(version), count(*) FROM events
            WHERE metadata->>'idempotencyKey' = $2 AND metadata->>'participant' = $1 AND recorded_at >= $3
            GROUP BY stream_id ORDER BY min(position) LIMIT 1
            """, conn))
        {
            find.Parameters.Add(new() { Value = participant });
            find.Parameters.Add(new() { Value = key });
            find.Parameters.Add(new() { Value = reservedAt.AddSeconds(-1) });
            await using var r = await find.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return null;
            (stream, first, last, version, count) = (r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
        }
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = Problems.Problems.TypePrefix + "idempotency.answer_lost",
            ["title"] = "Conflict",
            ["status"] = StatusCodes.Status409Conflict,
            ["detail"] = $"The request with this Idempotency-Key was carried out: {count} event(s) in stream {stream}, up to version {version} " +
                $"(log positions {first}–{last}), but its answer was lost. It was not run again. Read the resource for its state.",
            ["code"] = "idempotency.answer_lost",
            ["field"] = Header,
            ["streamId"] = stream,
            ["version"] = version,
            ["positions"] = new[] { first, last },
        });
        await using var store = new NpgsqlCommand("""
            UPDATE idempotency_keys SET completed_at = now(), status_code = 409, content_type = 'application/problem+json', location = NULL, etag = NULL, body = $4
            WHERE participant_id = $1 AND key = $2 AND reserved_at = $3 AND completed_at IS NULL
            RETURNING request_hash, reserved_at
            """, conn);
        store.Parameters.Add(new() { Value = participant });
        store.Parameters.Add(new() { Value = key });
        store.Parameters.Add(new() { Value = reservedAt });
        store.Parameters.Add(new() { Value = body });
        await using var stored = await store.ExecuteReaderAsync(ct);
        return await stored.ReadAsync(ct)
            ? new Stored((byte[])stored[0], stored.GetFieldValue<DateTimeOffset>(1), StatusCodes.Status409Conflict, "application/problem+json", null, null, body)
            : null;
    }

    async Task Release(string participant, string key)
    {
        try
        {
            await using var conn = await db.OpenConnectionAsync(CancellationToken.None);
            await using (var reserved = new NpgsqlCommand("SELECT reserved_at FROM idempotency_keys WHERE participant_id = $1 AND key = $2 AND completed_at IS NULL", conn))
            {
                reserved.Parameters.Add(new() { Value = participant });
                reserved.Parameters.Add(new() { Value = key });
                if (await reserved.ExecuteScalarAsync(CancellationToken.None) is DateTimeOffset at && await AnswerLost(conn, participant, key, at, CancellationToken.None) is not null)
                    return; // it committed before it failed: retries are told so instead of running it again
            }
            await using var cmd = new NpgsqlCommand("DELETE FROM idempotency_keys WHERE participant_id = $1 AND key = $2 AND completed_at IS NULL", conn);
            cmd.Parameters.Add(new() { Value = participant });
            cmd.Parameters.Add(new() { Value = key });
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) { log.LogWarning(ex, "Could not release Idempotency-Key {Key}", key); }
    }
}
