using System.Text.Json;
using AssetLedger.Application.Batching;
using AssetLedger.Application.Diagnostics;
using AssetLedger.Application.Ports;
using Npgsql;
using NpgsqlTypes;

namespace AssetLedger.Infrastructure.Audit;

/// <summary>
/// The access audit in the append-only table <c>access_audit</c> (migration 0005).
/// <para>
/// Rows are group-committed (issue 21): a regulator's every read writes a row before its answer goes out, and each row was a
/// commit (a WAL flush) of its own, 0.69 per request of the mixed load. <see cref="Record"/> still completes only once its
/// row is committed, and fails if it could not be; rows recorded while a write is running go together in the next one, one
/// statement and one commit. A write that PostgreSQL refuses for what a row holds is tried again row by row, so a row that
/// cannot be written (a path PostgreSQL's text refuses) fails its own request only, never the others that shared its
/// batch; a lost connection or a time-out fails the batch's requests at once, as it failed each one before.
/// </para>
/// </summary>
public sealed class PostgresAccessAudit(NpgsqlDataSource db) : IAccessAudit
{
    public const int MaxLimit = 500;

    /// <summary>Most rows one commit carries.</summary>
    public const int MaxBatch = 500;

    // The rows in the order recorded (seq follows it); roles as a JSON array each, as a text[] per row cannot go in an array.
    const string InsertSql =
        """
        INSERT INTO access_audit (id, at, participant_id, user_id, roles, method, path, query, resource, status, duration_ms, trace_id)
        SELECT r.id, r.at, r.participant_id, r.user_id,
               ARRAY(SELECT e.role FROM jsonb_array_elements_text(r.roles) WITH ORDINALITY AS e(role, i) ORDER BY e.i),
               r.method, r.path, r.query, r.resource, r.status, r.duration_ms, r.trace_id
        FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::text[], $9::text[],
                    $10::int[], $11::int[], $12::text[])
             WITH ORDINALITY AS r(id, at, participant_id, user_id, roles, method, path, query, resource, status, duration_ms, trace_id, n)
        ORDER BY r.n
        """;

    sealed record Pending(AccessRecord Record, TaskCompletionSource Written);

    readonly RoundQueue<Pending> _queue = new(MaxBatch);

    /// <remarks>
    /// Not cancellable once queued: every caller passes <see cref="CancellationToken.None"/>, as a client that hangs up must
    /// not leave its read unrecorded.
    /// </remarks>
    public async Task Record(AccessRecord r, CancellationToken ct)
    {
        using var stage = Stages.Start(Stages.AuditWrite);
        var pending = new Pending(r, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_queue.Add(pending)) _ = Task.Run(WriteQueued, CancellationToken.None);
        await pending.Written.Task;
    }

    /// <summary>Writes what is queued, a batch at a time, until the queue is empty; one writer at a time.</summary>
    async Task WriteQueued()
    {
        while (_queue.Take() is { } batch)
        {
            try
            {
                await Insert(batch);
                foreach (var p in batch) p.Written.TrySetResult();
            }
            catch (PostgresException e) when (batch.Count > 1 && RowsRefused(e))
            {
                // PostgreSQL refused what a row holds. Not for a lost connection or a lock or statement time-out, which would
                // fail each row again, one time-out after another.
                foreach (var p in batch)
                    try
                    {
                        await Insert([p]);
                        p.Written.TrySetResult();
                    }
                    catch (Exception ex) { p.Written.TrySetException(ex); }
            }
            catch (Exception ex)
            {
                foreach (var p in batch) p.Written.TrySetException(ex);
            }
        }
    }

    /// <summary>A data exception (class 22, e.g. a NUL in text) or an integrity violation (class 23): some row's own fault.</summary>
    static bool RowsRefused(PostgresException e) => e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState.StartsWith("23", StringComparison.Ordinal);

    async Task Insert(IReadOnlyList<Pending> batch)
    {
        await using var cmd = db.CreateCommand(InsertSql);
        T[] Column<T>(Func<AccessRecord, T> f) => batch.Select(p => f(p.Record)).ToArray();
        Add(cmd, Column(r => r.Id), NpgsqlDbType.Uuid);
        Add(cmd, Column(r => r.At), NpgsqlDbType.TimestampTz);
        Add(cmd, Column(r => r.Participant), NpgsqlDbType.Text);
        Add(cmd, Column(r => r.User), NpgsqlDbType.Text);
        Add(cmd, Column(r => JsonSerializer.Serialize(r.Roles)), NpgsqlDbType.Jsonb);
        Add(cmd, Column(r => r.Method), NpgsqlDbType.Text);
        Add(cmd, Column(r => r.Path), NpgsqlDbType.Text);
        Add(cmd, Column(r => r.Query), NpgsqlDbType.Text);
        Add(cmd, Column(r => r.Resource), NpgsqlDbType.Text);
        Add(cmd, Column(r => r.Status), NpgsqlDbType.Integer);
        Add(cmd, Column(r => r.DurationMs), NpgsqlDbType.Integer);
        Add(cmd, Column(r => r.TraceId), NpgsqlDbType.Text);
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }

    static void Add<T>(NpgsqlCommand cmd, T[] values, NpgsqlDbType type) =>
        cmd.Parameters.Add(new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type });

    public async Task<AccessAuditPage> Read(AccessAuditQuery q, CancellationToken ct)
    {
        var limit = Math.Clamp(q.Limit, 1, MaxLimit);
        var where = new List<string>();
        await using var cmd = db.CreateCommand();
        void Where(string condition, object value, NpgsqlDbType type)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
            where.Add(condition.Replace("$?", "$" + cmd.Parameters.Count));
        }
        if (q.Participant is { } p) Where("participant_id = $?", p, NpgsqlDbType.Text);
        if (q.From is { } from) Where("at >= $?", from, NpgsqlDbType.TimestampTz);
        if (q.To is { } to) Where("at < $?", to, NpgsqlDbType.TimestampTz);
        if (q.Before is { } before) Where("seq < $?", before, NpgsqlDbType.Bigint);
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        cmd.CommandText =
            $"""
            SELECT seq, id, at, participant_id, user_id, roles, method, path, query, resource, status, duration_ms, trace_id
            FROM access_audit {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY seq DESC LIMIT ${cmd.Parameters.Count}
            """;
        var items = new List<AccessAuditEntry>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                items.Add(new AccessAuditEntry(r.GetInt64(0), new AccessRecord(r.GetGuid(1), r.GetFieldValue<DateTimeOffset>(2), Text(r, 3), Text(r, 4),
                    r.GetFieldValue<string[]>(5), r.GetString(6), r.GetString(7), Text(r, 8), Text(r, 9), r.GetInt32(10), r.GetInt32(11), Text(r, 12))));
        if (items.Count <= limit) return new AccessAuditPage(items, null);
        items.RemoveAt(limit);
        return new AccessAuditPage(items, items[^1].Seq);
    }

    static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
