using AssetLedger.Application.Ports;
using Npgsql;
using NpgsqlTypes;

namespace AssetLedger.Infrastructure.EventStore;

public sealed partial class PostgresEventStore
{
    sealed record Head(long Version, string? LastHash);

    /// <summary>One transaction: lock the sequence, check every append against the authoritative state, insert, commit.</summary>
    async Task<AppendResult[]> WriteBatch(IReadOnlyList<PendingAppend> batch, CancellationToken ct)
    {
        await using var conn = await _db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        var streamIds = batch.Select(p => p.Request.StreamId).Distinct().ToArray();
        var eventIds = batch.SelectMany(p => p.Events.Select(e => e.Source.EventId)).ToArray();
        var keys = batch.SelectMany(p => p.Request.UniqueKeys ?? []).Distinct().ToArray();

        long position;
        var heads = new Dictionary<string, Head>();
        var existing = new Dictionary<Guid, (string Stream, AppendedEvent Event)>();
        var taken = new HashSet<string>();
        await using (var lookup = new NpgsqlBatch(conn, tx))
        {
            lookup.BatchCommands.Add(new NpgsqlBatchCommand("SELECT last_position FROM event_sequence WHERE id = 1 FOR UPDATE"));
            lookup.BatchCommands.Add(Command("SELECT stream_id, version, last_hash FROM streams WHERE stream_id = ANY($1::text[])", (object)streamIds));
            lookup.BatchCommands.Add(Command("SELECT event_id, stream_id, version, position, hash FROM events WHERE event_id = ANY($1::uuid[])", eventIds));
            lookup.BatchCommands.Add(Command("SELECT key FROM unique_keys WHERE key = ANY($1::text[])", (object)keys));
            await using var r = await lookup.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            position = r.GetInt64(0);
            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct)) heads[r.GetString(0)] = new Head(r.GetInt64(1), EventHasher.Hex((byte[])r[2]));
            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct))
                existing[r.GetGuid(0)] = (r.GetString(1), new AppendedEvent(r.GetGuid(0), r.GetInt64(2), r.GetInt64(3), EventHasher.Hex((byte[])r[4])));
            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct)) taken.Add(r.GetString(0));
        }

        var rows = new EventRows();
        var keyRows = new List<(string Key, string Stream, long Position)>();
        var touched = new Dictionary<string, Head>();
        var results = new AppendResult[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var (req, events) = (batch[i].Request, batch[i].Events);
            var head = heads.GetValueOrDefault(req.StreamId) ?? new Head(0, null);

            if (existing.ContainsKey(events[0].Source.EventId))
            {
                results[i] = Replay(req, existing, head);
                continue;
            }
            if (req.ExpectedVersion != ExpectedVersion.Any && req.ExpectedVersion != head.Version)
            {
                results[i] = new AppendResult(AppendStatus.WrongExpectedVersion, head.Version, []);
                continue;
            }
            if ((req.UniqueKeys ?? []).FirstOrDefault(taken.Contains) is { } takenKey)
            {
                results[i] = new AppendResult(AppendStatus.KeyTaken, head.Version, [], takenKey);
                continue;
            }

            var appended = new List<AppendedEvent>(events.Length);
            var (version, previous) = (head.Version, head.LastHash);
            foreach (var e in events)
            {
                version++;
                position++;
                var s = e.Source;
                var hash = EventHasher.Hash(EventHasher.CanonicalEnvelope(e.CanonicalData, s.EventId, e.CanonicalMetadata, previous, s.SchemaVersion, req.StreamId, s.Type, version));
                rows.Add(position, req.StreamId, version, s, hash, previous);
                var hex = EventHasher.Hex(hash);
                var a = new AppendedEvent(s.EventId, version, position, hex);
                appended.Add(a);
                existing[s.EventId] = (req.StreamId, a);
                previous = hex;
            }
            foreach (var k in req.UniqueKeys ?? [])
            {
                taken.Add(k);
                keyRows.Add((k, req.StreamId, appended[0].Position));
            }
            heads[req.StreamId] = touched[req.StreamId] = new Head(version, previous);
            results[i] = new AppendResult(AppendStatus.Appended, version, appended);
        }

        if (rows.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return results;
        }

        await using (var write = new NpgsqlBatch(conn, tx))
        {
            write.BatchCommands.Add(rows.InsertCommand());
            write.BatchCommands.Add(Command(
                """
                INSERT INTO streams (stream_id, version, last_hash)
                SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])
                ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, last_hash = excluded.last_hash, updated_at = now()
                """,
                touched.Keys.ToArray(), touched.Values.Select(h => h.Version).ToArray(), touched.Values.Select(h => Convert.FromHexString(h.LastHash!)).ToArray()));
            if (keyRows.Count > 0)
                write.BatchCommands.Add(Command("INSERT INTO unique_keys (key, stream_id, position) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])",
                    keyRows.Select(k => k.Key).ToArray(), keyRows.Select(k => k.Stream).ToArray(), keyRows.Select(k => k.Position).ToArray()));
            write.BatchCommands.Add(Command("UPDATE event_sequence SET last_position = $1 WHERE id = 1", position));
            write.BatchCommands.Add(Command("SELECT pg_notify('assetledger_events', $1::text)", position.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await write.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return results;
    }

    /// <summary>A retried append whose events are already stored: answer what the first attempt answered.</summary>
    static AppendResult Replay(AppendRequest req, Dictionary<Guid, (string Stream, AppendedEvent Event)> existing, Head head)
    {
        var found = req.Events.Select(e => existing.TryGetValue(e.EventId, out var x) && x.Stream == req.StreamId ? x.Event : null).ToList();
        return found.All(f => f is not null)
            ? new AppendResult(AppendStatus.AlreadyAppended, found[^1]!.Version, found!)
            : new AppendResult(AppendStatus.WrongExpectedVersion, head.Version, []);
    }

    /// <remarks>Pass a single string[] as <c>(object)array</c>: array covariance would spread it over the params.</remarks>
    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var c = new NpgsqlBatchCommand(sql);
        foreach (var v in values) c.Parameters.Add(new NpgsqlParameter { Value = v });
        return c;
    }

    /// <summary>Column arrays for one multi-row insert through unnest.</summary>
    sealed class EventRows
    {
        readonly List<long> _position = [], _version = [];
        readonly List<string> _stream = [], _type = [], _data = [], _metadata = [];
        readonly List<Guid> _id = [];
        readonly List<int> _schema = [];
        readonly List<byte[]> _hash = [];
        readonly List<byte[]?> _previous = [];

        public int Count => _position.Count;

        public void Add(long position, string stream, long version, EventToAppend e, byte[] hash, string? previousHex)
        {
            _position.Add(position); _stream.Add(stream); _version.Add(version); _id.Add(e.EventId); _type.Add(e.Type);
            _schema.Add(e.SchemaVersion); _data.Add(e.Data); _metadata.Add(e.Metadata); _hash.Add(hash);
            _previous.Add(previousHex is null ? null : Convert.FromHexString(previousHex));
        }

        public NpgsqlBatchCommand InsertCommand()
        {
            var c = new NpgsqlBatchCommand(
                """
                INSERT INTO events (position, stream_id, version, event_id, type, schema_version, data, metadata, hash, previous_hash)
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $9::bytea[], $10::bytea[])
                """);
            c.Parameters.Add(new NpgsqlParameter { Value = _position.ToArray() });
            c.Parameters.Add(new NpgsqlParameter { Value = _stream.ToArray() });
            c.Parameters.Add(new NpgsqlParameter { Value = _version.ToArray() });
            c.Parameters.Add(new NpgsqlParameter { Value = _id.ToArray() });
            c.Parameters.Add(new NpgsqlParameter { Value = _type.ToArray() });
            c.Parameters.Add(new NpgsqlParameter { Value = _schema.ToArray() });
            c.Parameters.Add(new NpgsqlParameter { Value = _data.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            c.Parameters.Add(new NpgsqlParameter { Value = _metadata.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            c.Parameters.Add(new NpgsqlParameter { Value = _hash.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            c.Parameters.Add(new NpgsqlParameter { Value = _previous.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            return c;
        }
    }
}
