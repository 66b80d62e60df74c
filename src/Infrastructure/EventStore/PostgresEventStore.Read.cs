using System.Runtime.CompilerServices;
using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Canonical;
using Npgsql;

namespace AssetLedger.Infrastructure.EventStore;

public sealed partial class PostgresEventStore
{
    const string Columns = "position, stream_id, version, event_id, type, schema_version, data::text, metadata::text, recorded_at, hash, previous_hash";

    public async Task<IReadOnlyList<StoredEvent>> ReadStream(string streamId, long fromVersion, int maxCount, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand($"SELECT {Columns} FROM events WHERE stream_id = $1 AND version >= $2 ORDER BY version LIMIT $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = streamId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = fromVersion });
        cmd.Parameters.Add(new NpgsqlParameter { Value = maxCount });
        var events = await ReadEvents(cmd, ct);
        // The caller usually appends next, expecting this version: knowing its hash spares that append a read.
        if (events.Count > 0) _heads.Observe(streamId, events[^1].Version, events[^1].Hash);
        return events;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreams(IReadOnlyList<string> streamIds, int maxCount, CancellationToken ct)
    {
        // One round trip for all of them: each stream's first events through the (stream_id, version) key, as ReadStream reads one.
        await using var cmd = _db.CreateCommand($"SELECT e.* FROM unnest($1::text[]) AS s(id) CROSS JOIN LATERAL " +
            $"(SELECT {Columns} FROM events WHERE stream_id = s.id ORDER BY version LIMIT $2) AS e ORDER BY e.stream_id, e.version");
        cmd.Parameters.Add(new NpgsqlParameter { Value = streamIds.Distinct().ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = maxCount });
        var read = new Dictionary<string, IReadOnlyList<StoredEvent>>(StringComparer.Ordinal);
        foreach (var stream in (await ReadEvents(cmd, ct)).GroupBy(e => e.StreamId))
        {
            var events = stream.ToList();
            _heads.Observe(stream.Key, events[^1].Version, events[^1].Hash);
            read[stream.Key] = events;
        }
        return read;
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadPositions(IReadOnlyList<long> positions, CancellationToken ct)
    {
        if (positions.Count == 0) return [];
        await using var cmd = _db.CreateCommand($"SELECT {Columns} FROM events WHERE position = ANY($1) ORDER BY position");
        cmd.Parameters.Add(new NpgsqlParameter { Value = positions.Distinct().ToArray() });
        return await ReadEvents(cmd, ct);
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadAll(long afterPosition, int maxCount, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand($"SELECT {Columns} FROM events WHERE position > $1 ORDER BY position LIMIT $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = afterPosition });
        cmd.Parameters.Add(new NpgsqlParameter { Value = maxCount });
        return await ReadEvents(cmd, ct);
    }

    public async Task<(long Head, IReadOnlyList<StoredEvent>? Events)> ReadSince(long afterPosition, IReadOnlyList<string> streamPrefixes, long maxGap,
        CancellationToken ct)
    {
        // One statement, so one snapshot: event_sequence's last position moves in the transaction that inserts its events,
        // so every event up to it is visible here. The range is walked by position (the key); the prefixes filter it.
        // In a transaction of its own only to keep its generic plan (see SinceStatement), all in one round trip.
        await using var conn = await _db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("BEGIN READ ONLY"),
                new NpgsqlBatchCommand("SET LOCAL plan_cache_mode = force_generic_plan"),
                new NpgsqlBatchCommand(SinceStatement(streamPrefixes, maxGap)) { Parameters = { new NpgsqlParameter { Value = afterPosition } } },
                new NpgsqlBatchCommand("COMMIT"),
            },
        };
        var head = 0L;
        var list = new List<StoredEvent>();
        await using (var r = await batch.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                head = r.GetInt64(0);
                if (r.IsDBNull(1)) continue;
                list.Add(new StoredEvent(r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetGuid(4), r.GetString(5), r.GetInt32(6),
                    r.GetString(7), r.GetString(8), r.GetFieldValue<DateTimeOffset>(9), EventHasher.Hex((byte[])r[10]),
                    r.IsDBNull(11) ? null : EventHasher.Hex((byte[])r[11])));
                // A view loads from here and its requests append next (issue 21): knowing the head spares that append a read.
                _heads.Observe(list[^1].StreamId, list[^1].Version, list[^1].Hash);
            }
        return (head, afterPosition < 0 || head - afterPosition > maxGap ? null : list);
    }

    /// <summary>
    /// ReadSince's statement, with the prefixes and the gap written into its text (they are the caller's constants) and only the
    /// position as a parameter, read through a sub-select. With the prefixes as a parameter PostgreSQL's generic plan guessed a
    /// default share of matching rows, costlier than each custom plan's (which sees how rare user and participant events are),
    /// and a custom plan that sees the position estimates fewer rows past it than the generic one: either way it planned the
    /// statement afresh on nearly every call (issue 21, PROFILE=1's "most planned"). A sub-select's value is unknown to every
    /// plan, so custom and generic plans cost the same and the prepared statement should keep its generic one. It did not:
    /// under the mixed load PostgreSQL still planned it on 8 calls in 10 (about 250 us each), so it runs with
    /// <c>plan_cache_mode</c> set to the generic plan for its transaction.
    /// </summary>
    static string SinceStatement(IReadOnlyList<string> streamPrefixes, long maxGap)
    {
        var key = (string.Join('\n', streamPrefixes), maxGap);
        if (SinceStatements.TryGetValue(key, out var sql)) return sql;
        foreach (var p in streamPrefixes)
            if (p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                throw new ArgumentException($"A stream prefix is letters, digits and '-' (not '{p}').", nameof(streamPrefixes));
        var patterns = string.Join(", ", streamPrefixes.Select(p => $"'{p}%'"));
        sql = $"""
            SELECT s.last_position, e.* FROM event_sequence s
            LEFT JOIN LATERAL (SELECT {Columns} FROM events WHERE $1 >= 0 AND s.last_position - $1 <= {maxGap} AND position > (SELECT $1) AND position <= s.last_position
                               AND stream_id LIKE ANY (ARRAY[{patterns}]) ORDER BY position) e ON true
            WHERE s.id = 1
            """;
        return SinceStatements.GetOrAdd(key, sql);
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, long), string> SinceStatements = new();

    public async Task<long> HeadPosition(CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT coalesce(max(position), 0) FROM events");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Follows the log from a checkpoint, forever: pages through what is committed, then waits for this
    /// process's next commit or a short poll (other processes' commits). Positions are final, so no gap handling.
    /// </summary>
    public async IAsyncEnumerable<StoredEvent> Subscribe(long afterPosition, [EnumeratorCancellation] CancellationToken ct, int pageSize = 500)
    {
        var position = afterPosition;
        while (!ct.IsCancellationRequested)
        {
            var wake = _signal.Next();
            var page = await ReadAll(position, pageSize, ct);
            foreach (var e in page)
            {
                position = e.Position;
                yield return e;
            }
            if (page.Count < pageSize)
            {
                try { await wake.WaitAsync(TimeSpan.FromMilliseconds(100), ct); }
                catch (TimeoutException) { }
            }
        }
    }

    /// <summary>Completes when this process next commits an append (other processes' commits come by NOTIFY on <c>assetledger_events</c>).</summary>
    public Task NextCommit() => _signal.Next();

    static async Task<IReadOnlyList<StoredEvent>> ReadEvents(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<StoredEvent>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new StoredEvent(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetGuid(3), r.GetString(4), r.GetInt32(5),
                r.GetString(6), r.GetString(7), r.GetFieldValue<DateTimeOffset>(8), EventHasher.Hex((byte[])r[9]),
                r.IsDBNull(10) ? null : EventHasher.Hex((byte[])r[10])));
        return list;
    }
}

/// <summary>Wakes waiting subscribers when this process commits.</summary>
sealed class AppendSignal
{
    TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Task Next() => Volatile.Read(ref _next).Task;
    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
