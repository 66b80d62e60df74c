using AssetLedger.Application.Ports;
using Npgsql;
using NpgsqlTypes;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>
/// The deliverer's side of the subscriptions table: a lease makes one instance at a time the subscription's deliverer,
/// and every write names the lease (a fencing token), so a holder whose lease ran out moves nothing.
/// </summary>
public sealed class WebhookLeases(NpgsqlDataSource db)
{
    long _looks;

    /// <summary>Looks for a due subscription this process has made (<see cref="TakeDue"/>).</summary>
    public long Looks => Interlocked.Read(ref _looks);

    /// <summary>This process, as lease_holder names it.</summary>
    public static readonly string Holder = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Takes the lease of the longest-due active subscription that no live lease holds (null when none is due) and says how
    /// long until one falls due by the clock (a retry's time, a holder's lease running out; null when none will; one that
    /// is due now and free is idle: a commit, not the clock, gives it work). One statement: the deliverer asks on every
    /// commit it hears, and most of the time nothing is due (issue 21: it was two statements, 0.2 per request of the mixed load).
    /// </summary>
    public async Task<(WebhookSubscription? Subscription, Guid Lease, TimeSpan? UntilNextDue)> TakeDue(TimeSpan duration, CancellationToken ct)
    {
        Interlocked.Increment(ref _looks);
        var lease = Guid.NewGuid();
        // The due time is read in the statement's snapshot, before the take: the row taken counts as it was (due now, so
        // not in it), as the holder's own lane serves it.
        await using var cmd = db.CreateCommand(
            $"""
            WITH taken AS (
                UPDATE webhook_subscriptions SET lease_owner = $1, lease_until = now() + $2, lease_holder = $3
                WHERE id = (SELECT id FROM webhook_subscriptions
                            WHERE active AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                            ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING {PostgresWebhookSubscriptions.Columns}),
            due AS (
                SELECT extract(epoch FROM min(CASE WHEN lease_until > now() THEN greatest(next_attempt_at, lease_until)
                                                   WHEN next_attempt_at > now() THEN next_attempt_at END) - now())::float8 AS seconds
                FROM webhook_subscriptions WHERE active)
            SELECT taken.*, due.seconds FROM due LEFT JOIN taken ON true
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = lease });
        cmd.Parameters.Add(new NpgsqlParameter { Value = duration });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Holder });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var last = r.FieldCount - 1;
        TimeSpan? until = r.IsDBNull(last) ? null : TimeSpan.FromSeconds(Math.Max(0, r.GetDouble(last)));
        return (r.IsDBNull(0) ? null : PostgresWebhookSubscriptions.Row(r), lease, until);
    }

    /// <summary>
    /// The subscription as it stands now, if the lease is still this holder's (a replay or a delete ends it); a read, so
    /// a holder that kept its lease while idle starts each batch from the cursor the table holds.
    /// </summary>
    public async Task<WebhookSubscription?> Held(Guid id, Guid lease, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            $"SELECT {PostgresWebhookSubscriptions.Columns} FROM webhook_subscriptions WHERE id = $1 AND lease_owner = $2 AND lease_until > now() AND active");
        Add(cmd, id, lease);
        return (await PostgresWebhookSubscriptions.ReadAll(cmd, ct)).FirstOrDefault();
    }

    /// <summary>
    /// Moves the cursor to <paramref name="position"/> (every event up to it delivered or not for this subscription),
    /// records the batch's attempts, and renews the lease or, when <paramref name="release"/>, ends it (due again at once).
    /// One write per batch, not per event. False when the lease is lost.
    /// </summary>
    public async Task<bool> Advance(Guid id, Guid lease, TimeSpan duration, long position, IReadOnlyList<WebhookAttempt> attempts, bool release, CancellationToken ct)
    {
        var delivered = attempts.LastOrDefault(a => a.Succeeded && a.Position <= position);
        await using var cmd = db.CreateCommand(
            $"""
            WITH moved AS (
                UPDATE webhook_subscriptions SET position = greatest(position, $3),
                    failures = CASE WHEN $5::timestamptz IS NULL THEN failures ELSE 0 END,
                    failing_since = CASE WHEN $5::timestamptz IS NULL THEN failing_since END,
                    last_delivered_at = coalesce($5, last_delivered_at),
                    lease_owner = CASE WHEN $6 THEN NULL ELSE lease_owner END,
                    lease_until = CASE WHEN $6 THEN NULL ELSE now() + $4 END,
                    next_attempt_at = CASE WHEN $6 THEN now() ELSE next_attempt_at END
                WHERE id = $1 AND lease_owner = $2 AND lease_until > now()
                RETURNING id),
            logged AS ({InsertAttempts(7)})
            SELECT count(*) FROM moved
            """);
        Add(cmd, id, lease, position, duration);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)delivered?.AttemptedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = release });
        AddAttempts(cmd, attempts);
        return (long)(await cmd.ExecuteScalarAsync(ct))! == 1;
    }

    /// <summary>
    /// Records a failed attempt at the head event (after <paramref name="passed"/>, where the cursor goes) with the batch's
    /// other attempts, schedules the next, or disables the subscription with <paramref name="disabledReason"/>; ends the lease.
    /// </summary>
    public async Task Failed(Guid id, Guid lease, long passed, IReadOnlyList<WebhookAttempt> attempts, WebhookAttempt failed, int failures,
        DateTimeOffset failingSince, string? disabledReason, CancellationToken ct)
    {
        var delivered = attempts.LastOrDefault(a => a.Succeeded && a.Position <= passed);
        await using var cmd = db.CreateCommand(
            $"""
            WITH moved AS (
                UPDATE webhook_subscriptions SET position = greatest(position, $3), failures = $4, failing_since = $5,
                    next_attempt_at = coalesce($6, now()), active = $7::text IS NULL, disabled_reason = $7,
                    disabled_at = CASE WHEN $7::text IS NULL THEN NULL ELSE $9 END,
                    last_delivered_at = coalesce($8, last_delivered_at), lease_owner = NULL, lease_until = NULL
                WHERE id = $1 AND lease_owner = $2 AND lease_until > now()
                RETURNING id),
            logged AS ({InsertAttempts(10)})
            SELECT count(*) FROM moved
            """);
        Add(cmd, id, lease, passed, failures, failingSince);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)failed.NextAttemptAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)disabledReason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)delivered?.AttemptedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = failed.AttemptedAt });
        AddAttempts(cmd, attempts);
        await cmd.ExecuteScalarAsync(ct);
    }

    /// <summary>Ends the lease; the subscription is due again after <paramref name="pause"/>.</summary>
    public async Task Release(Guid id, Guid lease, TimeSpan pause, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE webhook_subscriptions SET lease_owner = NULL, lease_until = NULL, next_attempt_at = now() + $3 WHERE id = $1 AND lease_owner = $2");
        Add(cmd, id, lease, pause);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The attempts (parameters <paramref name="first"/> on, one array per column) as rows of the subscription the statement moved, in the order made.</summary>
    static string InsertAttempts(int first) =>
        $"""
        INSERT INTO webhook_attempts (subscription_id, position, event_id, attempted_at, succeeded, status_code, error, latency_ms, next_attempt_at, events)
        SELECT moved.id, a.position, a.event_id, a.attempted_at, a.succeeded, a.status_code, a.error, a.latency_ms, a.next_attempt_at, a.events
        FROM moved, unnest(${first}::bigint[], ${first + 1}::uuid[], ${first + 2}::timestamptz[], ${first + 3}::boolean[], ${first + 4}::int[],
                           ${first + 5}::text[], ${first + 6}::int[], ${first + 7}::timestamptz[], ${first + 8}::int[])
             WITH ORDINALITY AS a(position, event_id, attempted_at, succeeded, status_code, error, latency_ms, next_attempt_at, events, n)
        ORDER BY a.n
        """;

    static void AddAttempts(NpgsqlCommand cmd, IReadOnlyList<WebhookAttempt> attempts)
    {
        Add(cmd, attempts.Select(a => a.Position).ToArray(), attempts.Select(a => a.EventId).ToArray(), attempts.Select(a => a.AttemptedAt).ToArray(),
            attempts.Select(a => a.Succeeded).ToArray(), attempts.Select(a => a.StatusCode).ToArray(), attempts.Select(a => a.Error).ToArray(),
            attempts.Select(a => a.LatencyMs).ToArray(), attempts.Select(a => a.NextAttemptAt).ToArray(), attempts.Select(a => a.Events).ToArray());
    }

    static void Add(NpgsqlCommand cmd, params object[] values)
    {
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
    }
}
