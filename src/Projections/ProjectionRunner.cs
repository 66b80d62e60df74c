using System.Diagnostics;
using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Serialization;
using AssetLedger.Projections.Assets;
using AssetLedger.Projections.Participants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AssetLedger.Projections;

/// <summary>
/// Applies the event log, in its global order, to the read models. Each batch is one transaction that
/// locks every projection's checkpoint row (FOR UPDATE), reads the events after the lowest checkpoint,
/// writes each projection's rows and moves its checkpoint: so a batch takes effect exactly once, and
/// several processes may run the projector on one database: the database makes each batch single.
/// </summary>
public sealed class ProjectionRunner
{
    /// <summary>The event store's NOTIFY channel: a commit in any process wakes <see cref="RunAsync"/> at once.</summary>
    const string EventsChannel = "assetledger_events";

    readonly NpgsqlDataSource _db;
    readonly IEventStore _store;
    readonly ILogger _log;
    readonly IReadOnlyList<IProjection> _projections;
    readonly string[] _names;

    public ProjectionRunner(NpgsqlDataSource db, IEventStore store, ILogger<ProjectionRunner>? log = null, ProjectionOptions? options = null)
    {
        Pause = (options ?? new ProjectionOptions()).Pause;
        _db = db;
        _store = store;
        _log = log ?? (ILogger)NullLogger.Instance;
        _projections = [new AssetProjection(), new ParticipantProjection(store), new Registrations.RegistrationProjection(store), new Devices.DeviceProjection()];
        _names = _projections.Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Most events one transaction applies.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>How long <see cref="RunAsync"/> waits for a notification before it looks at the log anyway.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long <see cref="RunAsync"/> waits after a round that applied events before it looks at the log again
    /// (<see cref="ProjectionOptions.Pause"/>); a round that found nothing waits for a notification instead.
    /// </summary>
    public TimeSpan Pause { get; }

    /// <summary>Applies batches until the read models reach the head the log had when called; returns the events this call applied.</summary>
    public Task<int> CatchUp(CancellationToken ct) => CatchUp(null, ct);

    public async Task<int> CatchUp(IProgress<ProjectionProgress>? progress, CancellationToken ct)
    {
        // The head is asked for only to report progress: a batch shorter than BatchSize read the log to its end after this
        // call began (positions are gap-free and final), so the loop stops there without a statement of its own per wake-up.
        var head = progress is null ? long.MaxValue : await _store.HeadPosition(ct);
        var applied = 0;
        while (true)
        {
            int count;
            long checkpoint;
            using (Application.Diagnostics.Stages.Start(Application.Diagnostics.Stages.Projections))
                (count, checkpoint) = await ApplyNextBatch(ct);
            applied += count;
            progress?.Report(new ProjectionProgress(checkpoint, head, applied));
            if (count < BatchSize || checkpoint >= head) return applied;
        }
    }

    /// <summary>Follows the log until cancelled; failures are logged and retried with a growing pause.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var listener = await _db.OpenConnectionAsync(ct);
                try
                {
                    await using (var listen = new NpgsqlCommand($"LISTEN {EventsChannel}", listener)) await listen.ExecuteNonQueryAsync(ct);
                    while (true)
                    {
                        var applied = await CatchUp(ct);
                        failures = 0;
                        // Under load the log grows every few milliseconds: going round at once rewrote an asset's row (and its
                        // 31 index entries) per event, in a transaction per few events. After a pause one batch takes them all,
                        // an asset's several events folded into one row. When idle, a notification wakes the loop at once.
                        if (applied > 0 && Pause > TimeSpan.Zero) await WaitOut(listener, Pause, ct);
                        else await listener.WaitAsync(PollInterval, ct);
                    }
                }
                finally { await Unlisten(listener); }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                failures++;
                _log.LogError(ex, "Projection failed ({Failures} in a row); retrying.", failures);
                // At most 5 s: after a database outage the read models resume within seconds of its return, not half a minute.
                try { await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5_000, 250 * Math.Pow(2, Math.Min(failures, 10)))), ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    public async Task<ProjectionStatus> Status(CancellationToken ct)
    {
        var head = await _store.HeadPosition(ct);
        await using var cmd = _db.CreateCommand("SELECT name, position, updated_at FROM projection_checkpoints WHERE name = ANY($1) ORDER BY name");
        cmd.Parameters.Add(new NpgsqlParameter { Value = _names });
        var found = new Dictionary<string, ProjectionCheckpoint>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) found[r.GetString(0)] = new ProjectionCheckpoint(r.GetString(0), r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2));
        var all = _names.Select(n => found.GetValueOrDefault(n) ?? new ProjectionCheckpoint(n, 0, null)).ToList();
        var checkpoint = all.Min(c => c.Position);
        return new ProjectionStatus(checkpoint, head, head - checkpoint, all);
    }

    /// <summary>Empties the read models and sets every checkpoint to 0, in one transaction.</summary>
    public async Task Reset(CancellationToken ct)
    {
        await using var conn = await _db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await LockCheckpoints(conn, ct);
        var tables = string.Join(", ", _projections.SelectMany(p => p.Tables));
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"TRUNCATE {tables}"),
                new NpgsqlBatchCommand("UPDATE projection_checkpoints SET position = 0, updated_at = now() WHERE name = ANY($1)") { Parameters = { new() { Value = _names } } },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        _log.LogInformation("Read models emptied for a rebuild.");
    }

    /// <summary>Empties the read models and replays the whole log into them; returns the events applied.</summary>
    public Task<int> Rebuild(CancellationToken ct) => Rebuild(null, ct);

    public async Task<int> Rebuild(IProgress<ProjectionProgress>? progress, CancellationToken ct)
    {
        await Reset(ct);
        return await CatchUp(progress, ct);
    }

    /// <returns>Events read in this batch (0 when the read models are at the head) and the checkpoint after it.</returns>
    async Task<(int Count, long Checkpoint)> ApplyNextBatch(CancellationToken ct)
    {
        await using var conn = await _db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var checkpoints = await LockCheckpoints(conn, ct);
        var from = checkpoints.Values.Min();
        var stored = await _store.ReadAll(from, BatchSize, ct);
        if (stored.Count == 0)
        {
            await tx.CommitAsync(ct);
            return (0, from);
        }

        var events = stored.Select(Decode).ToList();
        foreach (var p in _projections)
        {
            var after = checkpoints[p.Name];
            await p.Apply(conn, after == from ? events : events.Where(e => e.Position > after).ToList(), ct);
        }
        var last = stored[^1].Position;
        await using (var move = new NpgsqlCommand("UPDATE projection_checkpoints SET position = $1, updated_at = now() WHERE name = ANY($2)", conn))
        {
            move.Parameters.Add(new NpgsqlParameter { Value = last });
            move.Parameters.Add(new NpgsqlParameter { Value = _names });
            await move.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        _log.LogDebug("Projected events {From}–{To}.", stored[0].Position, last);
        return (stored.Count, last);
    }

    /// <summary>Creates missing checkpoint rows, then locks them all in name order: the batch is single from here on.</summary>
    async Task<Dictionary<string, long>> LockCheckpoints(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO projection_checkpoints (name, position) SELECT unnest($1::text[]), 0 ON CONFLICT (name) DO NOTHING") { Parameters = { new() { Value = _names } } },
                new NpgsqlBatchCommand("SELECT name, position FROM projection_checkpoints WHERE name = ANY($1) ORDER BY name FOR UPDATE") { Parameters = { new() { Value = _names } } },
            },
        };
        var checkpoints = new Dictionary<string, long>();
        await using var r = await batch.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) checkpoints[r.GetString(0)] = r.GetInt64(1);
        return checkpoints;
    }

    /// <summary>
    /// Waits <paramref name="pause"/> on the listener, taking the notifications that arrive meanwhile. Npgsql reads them only
    /// when waited on (one per wait), and a listener that stopped reading would hold PostgreSQL's notification queue: under
    /// sustained load it would grow until NOTIFY, and with it every append, failed.
    /// </summary>
    static async Task WaitOut(NpgsqlConnection listener, TimeSpan pause, CancellationToken ct)
    {
        var until = Stopwatch.GetTimestamp() + (long)(pause.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until) is var left && left >= TimeSpan.FromMilliseconds(1))
            await listener.WaitAsync(left, ct); // at least 1 ms: a timeout of 0 would wait without end
    }

    /// <summary>
    /// The service's pool does not reset a connection it takes back (Infrastructure's DatabaseConnections), so the listener
    /// ends its LISTEN first; a connection that cannot take it is broken, and the pool drops it.
    /// </summary>
    static async Task Unlisten(NpgsqlConnection listener)
    {
        if (listener.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", listener);
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException) { }
    }

    static LogEvent Decode(StoredEvent s)
    {
        if (!EventSerializer.Instance.Knows(s.Type)) return new LogEvent(s, null, null);
        return new LogEvent(s, EventSerializer.Instance.Deserialize(s.Type, s.Data), EventMetadata.FromJson(s.Metadata).Participant);
    }
}

/// <param name="Checkpoint">The lowest checkpoint of the projections: every read model includes the log up to here.</param>
/// <param name="Lag">Events committed but not yet in the read models.</param>
public sealed record ProjectionStatus(long Checkpoint, long Head, long Lag, IReadOnlyList<ProjectionCheckpoint> Projections);

public sealed record ProjectionCheckpoint(string Name, long Position, DateTimeOffset? UpdatedAt);

/// <param name="Applied">Events this call has applied so far.</param>
public sealed record ProjectionProgress(long Checkpoint, long Head, int Applied);
