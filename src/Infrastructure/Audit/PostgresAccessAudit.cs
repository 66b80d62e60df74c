using AssetLedger.Application.Diagnostics;
using AssetLedger.Application.Ports;
using Npgsql;
using NpgsqlTypes;

namespace AssetLedger.Infrastructure.Audit;

/// <summary>The access audit in the append-only table <c>access_audit</c> (migration 0005).</summary>
public sealed class PostgresAccessAudit(NpgsqlDataSource db) : IAccessAudit
{
    public const int MaxLimit = 500;

    public async Task Record(AccessRecord r, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            INSERT INTO access_audit (id, at, participant_id, user_id, roles, method, path, query, resource, status, duration_ms, trace_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """);
        foreach (var v in new object?[] { r.Id, r.At, r.Participant, r.User, r.Roles.ToArray(), r.Method, r.Path, r.Query, r.Resource, r.Status, r.DurationMs, r.TraceId })
            cmd.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
        cmd.Parameters[1].NpgsqlDbType = NpgsqlDbType.TimestampTz;
        using (Stages.Start(Stages.AuditRecord)) await cmd.ExecuteNonQueryAsync(ct);
    }

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
