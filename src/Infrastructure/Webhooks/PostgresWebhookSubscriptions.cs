using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>The subscriptions' and attempts' tables (migrations 0022 and 0033), as the API sees them.</summary>
public sealed class PostgresWebhookSubscriptions(NpgsqlDataSource db) : IWebhookSubscriptions
{
    internal const string Columns = "id, owner, url, secret, event_types, asset_kinds, position, active, disabled_reason, disabled_at, failures, " +
        "failing_since, next_attempt_at, last_delivered_at, created_by, created_at, max_events_per_request";

    public async Task<bool> Create(WebhookSubscription s, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // One owner's creations queue on this lock, so two at once cannot both pass the limit.
        await using (var lockOwner = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('webhook-owner:' || $1))", conn) { Parameters = { new() { Value = s.Owner } } })
            await lockOwner.ExecuteNonQueryAsync(ct);
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO webhook_subscriptions (id, owner, url, secret, event_types, asset_kinds, position, created_by, created_at, max_events_per_request)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $11 WHERE (SELECT count(*) FROM webhook_subscriptions WHERE owner = $2) < $10
            """, conn)
        {
            Parameters =
            {
                new() { Value = s.Id }, new() { Value = s.Owner }, new() { Value = s.Url }, new() { Value = s.Secret },
                new() { Value = s.EventTypes.ToArray() }, new() { Value = s.AssetKinds.ToArray() }, new() { Value = s.Position },
                new() { Value = s.CreatedBy }, new() { Value = s.CreatedAt }, new() { Value = (long)limit }, new() { Value = s.MaxEventsPerRequest },
            },
        };
        var created = await cmd.ExecuteNonQueryAsync(ct) == 1;
        await tx.CommitAsync(ct);
        return created;
    }

    public async Task<IReadOnlyList<WebhookSubscription>> List(string? owner, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM webhook_subscriptions WHERE $1::text IS NULL OR owner = $1 ORDER BY created_at, id");
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)owner ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await ReadAll(cmd, ct);
    }

    public async Task<WebhookSubscription?> Find(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM webhook_subscriptions WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return (await ReadAll(cmd, ct)).FirstOrDefault();
    }

    public async Task<bool> Delete(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM webhook_subscriptions WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> Replay(Guid id, long afterPosition, CancellationToken ct)
    {
        // A lease held now ends: its holder can no longer move the cursor, so the replay is not overwritten. The notice
        // wakes the deliverers, which would otherwise find the subscription due only at their next poll.
        await using var cmd = db.CreateCommand(
            $"""
            WITH replayed AS (
                UPDATE webhook_subscriptions SET position = $2, active = true, disabled_reason = NULL, disabled_at = NULL, failures = 0,
                    failing_since = NULL, next_attempt_at = now(), lease_owner = NULL, lease_until = NULL
                WHERE id = $1
                RETURNING id)
            SELECT count(*), pg_notify('{WebhookWakeups.SubscriptionsChannel}', '') FROM replayed
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = afterPosition });
        return (long)(await cmd.ExecuteScalarAsync(ct))! == 1;
    }

    public async Task<IReadOnlyList<WebhookAttempt>> Attempts(Guid id, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT position, event_id, attempted_at, succeeded, status_code, error, latency_ms, next_attempt_at, events
            FROM webhook_attempts WHERE subscription_id = $1 ORDER BY id DESC LIMIT $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        var list = new List<WebhookAttempt>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new WebhookAttempt(r.GetInt64(0), r.GetGuid(1), r.GetFieldValue<DateTimeOffset>(2), r.GetBoolean(3),
                r.IsDBNull(4) ? null : r.GetInt32(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt32(6),
                r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.GetInt32(8)));
        return list;
    }

    public async Task<WebhookLag> Lag(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT (SELECT coalesce(max(position), 0) FROM events), s.position,
                   (SELECT recorded_at FROM events WHERE position = s.position + 1)
            FROM webhook_subscriptions s WHERE s.id = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return new WebhookLag(0, 0, null);
        var head = r.GetInt64(0);
        return new WebhookLag(head, Math.Max(0, head - r.GetInt64(1)), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2));
    }

    internal static async Task<List<WebhookSubscription>> ReadAll(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<WebhookSubscription>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(Row(r));
        return list;
    }

    /// <summary>The subscription in the reader's current row, its <see cref="Columns"/> first.</summary>
    internal static WebhookSubscription Row(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4),
            r.GetFieldValue<string[]>(5), r.GetInt64(6), r.GetBoolean(7), r.IsDBNull(8) ? null : r.GetString(8),
            r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9), r.GetInt32(10), r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11),
            r.GetFieldValue<DateTimeOffset>(12), r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13), r.GetString(14),
            r.GetFieldValue<DateTimeOffset>(15), r.GetInt32(16));
}
