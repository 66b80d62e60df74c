using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>
/// The deliverer's side of the subscriptions table: a lease makes one instance at a time the subscription's deliverer,
/// and every write names the lease (a fencing token), so a holder whose lease ran out moves nothing.
/// </summary>
public sealed class WebhookLeases(NpgsqlDataSource db)
{
    /// <summary>This process, as lease_holder names it.</summary>
    public static readonly string Holder = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Takes the lease of the longest-due active subscription that no live lease holds; null when none is due.</summary>
    public async Task<(WebhookSubscription Subscription, Guid Lease)?> TakeDue(TimeSpan duration, CancellationToken ct)
    {
        var lease = Guid.NewGuid();
        await using var cmd = db.CreateCommand(
            $"""
            UPDATE webhook_subscriptions SET lease_owner = $1, lease_until = now() + $2, lease_holder = $3
            WHERE id = (SELECT id FROM webhook_subscriptions
                        WHERE active AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                        ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING {PostgresWebhookSubscriptions.Columns}
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = lease });
        cmd.Parameters.Add(new NpgsqlParameter { Value = duration });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Holder });
        var rows = await PostgresWebhookSubscriptions.ReadAll(cmd, ct);
        return rows.Count == 0 ? null : (rows[0], lease);
    }

    /// <summary>Moves the cursor past a delivered event and records the attempt; false when the lease is lost.</summary>
    public async Task<bool> Delivered(Guid id, Guid lease, TimeSpan duration, long position, WebhookAttempt attempt, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            WITH moved AS (
                UPDATE webhook_subscriptions SET position = $3, failures = 0, failing_since = NULL, last_delivered_at = $5,
                    lease_until = now() + $4
                WHERE id = $1 AND lease_owner = $2 AND lease_until > now() AND position < $3
                RETURNING id)
            INSERT INTO webhook_attempts (subscription_id, position, event_id, attempted_at, succeeded, status_code, error, latency_ms, next_attempt_at)
            SELECT id, $3, $6, $5, true, $7, NULL, $8, NULL FROM moved
            """);
        Add(cmd, id, lease, position, duration, attempt.AttemptedAt, attempt.EventId, (object?)attempt.StatusCode ?? DBNull.Value, attempt.LatencyMs);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Moves the cursor past events this subscription does not get; false when the lease is lost.</summary>
    public async Task<bool> Skipped(Guid id, Guid lease, TimeSpan duration, long position, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE webhook_subscriptions SET position = $3, lease_until = now() + $4 WHERE id = $1 AND lease_owner = $2 AND lease_until > now() AND position <= $3");
        Add(cmd, id, lease, position, duration);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Records a failed attempt at the head event (after <paramref name="skippedTo"/>, the cursor), schedules the next,
    /// or disables the subscription with <paramref name="disabledReason"/>; ends the lease.
    /// </summary>
    public async Task Failed(Guid id, Guid lease, long skippedTo, WebhookAttempt attempt, DateTimeOffset failingSince, string? disabledReason, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            WITH failed AS (
                UPDATE webhook_subscriptions SET position = greatest(position, $3), failures = failures + 1, failing_since = $4,
                    next_attempt_at = coalesce($5, now()), active = $6::text IS NULL, disabled_reason = $6,
                    disabled_at = CASE WHEN $6::text IS NULL THEN NULL ELSE $7 END, lease_owner = NULL, lease_until = NULL
                WHERE id = $1 AND lease_owner = $2 AND lease_until > now()
                RETURNING id)
            INSERT INTO webhook_attempts (subscription_id, position, event_id, attempted_at, succeeded, status_code, error, latency_ms, next_attempt_at)
            SELECT id, $8, $9, $7, false, $10, $11, $12, $5 FROM failed
            """);
        Add(cmd, id, lease, skippedTo, failingSince, (object?)attempt.NextAttemptAt ?? DBNull.Value, (object?)disabledReason ?? DBNull.Value,
            attempt.AttemptedAt, attempt.Position, attempt.EventId, (object?)attempt.StatusCode ?? DBNull.Value, (object?)attempt.Error ?? DBNull.Value, attempt.LatencyMs);
        cmd.Parameters[4].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz;
        cmd.Parameters[5].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        cmd.Parameters[9].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer;
        cmd.Parameters[10].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Ends the lease after a round; the subscription is due again after <paramref name="pause"/>.</summary>
    public async Task Release(Guid id, Guid lease, TimeSpan pause, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE webhook_subscriptions SET lease_owner = NULL, lease_until = NULL, next_attempt_at = now() + $3 WHERE id = $1 AND lease_owner = $2");
        Add(cmd, id, lease, pause);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    static void Add(NpgsqlCommand cmd, params object[] values)
    {
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
    }
}
