using System.Data;
using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Serialization;
using AssetLedger.Projections.Assets;
using Dapper;
using Npgsql;

namespace AssetLedger.Projections.Trace;

/// <summary>
/// The regulator's reads: an asset's timeline with the proof status of every event, and search. Each answer is read in
/// one REPEATABLE READ transaction, so its parts (read models, and through <see cref="ILedgerStatus"/> the ledger's
/// checkpoints and anchors) show one moment.
/// </summary>
public sealed class TraceQueries(NpgsqlDataSource db, ILedgerStatus ledger, TraceCache cache)
{
    public const int MaxLimit = 500;

    /// <summary>How many of the newest assets (passing the other filters) free text is first looked for among; see <see cref="Search"/>.</summary>
    public const int TextWindow = 500;
    const string SearchList = "trace-search";

    /// <summary>The read models' part of a snapshot: the log position they include, and the moment of the transaction.</summary>
    internal const string SnapshotSql =
        """
        SELECT coalesce((SELECT min(position) FROM projection_checkpoints), 0) AS "ProjectedThrough", now() AS "TakenAt";
        """;

    /// <summary>The newest position written into a participant row (0 for rows last written before Projections 0012).</summary>
    internal const string ParticipantsChangedSql = "SELECT coalesce(max(changed_position), 0) FROM participants";

    readonly TraceCheckRounds _checks = new(db, ledger.Head);

    /// <summary>The check of one kept timeline whose proofs were not all final, read in the batch with those proofs.</summary>
    readonly string _checkSql = TraceCheckRounds.Statement(ledger.Head, "(SELECT last_position FROM assets WHERE asset_id = $1)");

    /// <summary>The asset's whole trace, or null if the read models do not know it (yet).</summary>
    /// <remarks>
    /// A timeline this instance kept (<see cref="TraceCache"/>) is checked with one small statement (with the ledger's head),
    /// shared with the other checks asked for at once (<see cref="TraceCheckRounds"/>), and served with that statement's
    /// snapshot; otherwise it is read whole.
    /// </remarks>
    public async Task<AssetTrace?> Timeline(AssetId id, CancellationToken ct)
    {
        if (!cache.TryGet(id.Value, out var kept))
        {
            cache.Tally(TraceCache.Miss);
            return await ReadWhole();
        }
        TraceCheck check;
        LedgerProofs? proofs = null;
        if (kept.Unfinished is null) check = await _checks.Check(id.Value, ct);
        else
        {
            // Some proofs were not final: read them again from the first of those positions, in the check's snapshot.
            await using var conn = await db.OpenConnectionAsync(ct);
            var proofQuery = ledger.ProofsOf("SELECT position FROM asset_history WHERE asset_id = $1 AND position >= $2");
            await using var batch = Snapshot(conn, [_checkSql, .. proofQuery.Statements], id.Value, kept.Unfinished.Value);
            await using var r = await batch.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            check = TraceCheckRounds.Read(r, ledger.Head, r.IsDBNull(2) ? null : r.GetInt64(2));
            await r.NextResultAsync(ct);
            proofs = await proofQuery.Read(r, ct);
        }
        if (check.AssetPosition != kept.AssetPosition || check.ParticipantsChanged != kept.ParticipantsPosition || check.Head.Anchors != kept.Anchors)
        {
            cache.Tally(TraceCache.Changed);
            cache.Forget(id.Value);
            return await ReadWhole();
        }
        var snapshot = new TraceSnapshot(check.ProjectedThrough, check.Head.TreeSize, check.Head.LatestCheckpoint, check.Head.LatestCheckpointAt, check.TakenAt);
        if (proofs is null)
        {
            cache.Tally(TraceCache.Hit);
            return kept.Trace with { Snapshot = snapshot };
        }
        var events = kept.Trace.Events.Select(e => proofs.Positions.TryGetValue(e.Position, out var p) ? e with { Proof = Proof(e.Position, p) } : e).ToList();
        var answer = kept.Trace with { Snapshot = snapshot, Events = events };
        cache.Tally(TraceCache.Proofs);
        cache.Keep(id.Value, kept with { Unfinished = FirstUnfinished(proofs), Trace = answer });
        return answer;

        async Task<AssetTrace?> ReadWhole()
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            return await Read(conn, id, ct);
        }
    }

    /// <summary>Rounds of kept timelines' checks run so far by this instance (each one statement).</summary>
    public long CheckRounds => _checks.Rounds;

    /// <summary>The statement of a round of checks (its one parameter: the assets' ids as a JSON array).</summary>
    public string CheckRoundSql => _checks.RoundSql;

    /// <summary>The first position whose proof may still change, or null if none may.</summary>
    static long? FirstUnfinished(LedgerProofs proofs) =>
        proofs.Positions.Values.Where(p => !p.IsFinal(proofs.Head.Anchors)).Select(p => (long?)p.Position).Min();

    /// <summary>The timeline read whole, in one snapshot, and kept.</summary>
    /// <remarks>
    /// One round trip (issue 21): the read models' statements and the ledger's proof statements go in one batch with the
    /// transaction's BEGIN and COMMIT (<see cref="Snapshot"/>), so a trace costs PostgreSQL one exchange instead of three
    /// (BEGIN with the rows, the proofs, COMMIT).
    /// </remarks>
    async Task<AssetTrace?> Read(NpgsqlConnection conn, AssetId id, CancellationToken ct)
    {
        var proofQuery = ledger.ProofsOf("SELECT position FROM asset_history WHERE asset_id = $1");
        await using var batch = Snapshot(conn, [TimelineSql.Asset, TimelineSql.History, TimelineSql.Ownership, TimelineSql.Locks, TimelineSql.Confirmations,
            MentionedSql, .. proofQuery.Statements], id.Value);
        TimelineHead read;
        AssetView? asset;
        List<HistoryRow> history;
        List<OwnershipPeriod> ownership;
        List<EncumbranceView> locks;
        List<ConfirmationView> confirmations;
        List<MentionedRow> mentioned;
        LedgerProofs proofs;
        await using (var r = await batch.ExecuteReaderAsync(ct))
        {
            // The reader skips the answers without rows (BEGIN, COMMIT); Rows reads one answer and moves to the next.
            // The snapshot and the asset come in one row, the asset's columns null when the read models do not know it.
            await r.ReadAsync(ct);
            read = r.GetRowParser<TimelineHead>()(r);
            asset = r.IsDBNull(r.GetOrdinal("Id")) ? null : r.GetRowParser<AssetView>()(r);
            await r.NextResultAsync(ct);
            history = await Rows<HistoryRow>(r, ct);
            ownership = await Rows<OwnershipPeriod>(r, ct);
            locks = await Rows<EncumbranceView>(r, ct);
            confirmations = await Rows<ConfirmationView>(r, ct);
            mentioned = await Rows<MentionedRow>(r, ct);
            proofs = await proofQuery.Read(r, ct);
        }
        if (asset is null) return null;

        var events = history.Select(h => (Row: h, Event: (IAssetEvent)EventSerializer.Instance.Deserialize(h.Type, h.Data))).ToList();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (row, e) in events) { if (row.ActorId is { } a) ids.Add(a); ids.UnionWith(Mentioned(e)); }
        ids.UnionWith(ownership.Select(o => o.OwnerId));
        foreach (var l in locks) { ids.Add(l.PlacedBy); if (l.CounterpartyId is { } c) ids.Add(c); if (l.LiftedBy is { } b) ids.Add(b); }
        ids.UnionWith(confirmations.Select(c => c.ParticipantId));
        // Read with the rest; a participant the SQL did not foresee (none today: the test of the mentioned fields keeps the two
        // lists together) is read afterwards, its name and roles then a moment later than the rest.
        var people = mentioned.Where(m => m.Name is not null).ToDictionary(m => m.Id, m => new ParticipantRef(m.Id, m.Name, m.Roles ?? []), StringComparer.Ordinal);
        ids.ExceptWith(mentioned.Select(m => m.Id));
        if (ids.Count > 0)
            foreach (var (pid, p) in await Participants(conn, null, ids, ct)) people[pid] = p;
        var snapshot = new TraceSnapshot(read.ProjectedThrough, proofs.Head.TreeSize, proofs.Head.LatestCheckpoint, proofs.Head.LatestCheckpointAt, read.TakenAt);

        ParticipantRef Ref(string pid) => people.TryGetValue(pid, out var p) ? p : new ParticipantRef(pid, null, []);
        string Name(ParticipantId pid) => people.TryGetValue(pid.Value, out var p) && p.Name is { } n ? $"{n} ({pid})" : pid.Value;

        var state = AssetState.Initial;
        var trace = new List<TraceEvent>(events.Count);
        var evidence = new List<TraceEvidence>();
        foreach (var (row, e) in events)
        {
            var (summary, actingAs) = EventNarrative.Describe(e, state, Name);
            state = AssetState.Evolve(state, e);
            var actor = row.ActorId is { } aid ? Ref(aid) : null;
            trace.Add(new TraceEvent(row.Position, row.Version, row.EventId, row.Type, summary,
                actor is null ? null : new TraceActor(actor.Id, actor.Name, actor.Roles, actingAs), row.At, row.RecordedAt, row.Hash, row.PreviousHash,
                Proof(row.Position, proofs.Positions[row.Position]), JsonElement.Parse(row.Data)));
            if (e is EvidenceAttached x) evidence.Add(new TraceEvidence(row.Position, x.Sha256, x.MediaType, x.Description, x.Source, Ref(x.By.Value), x.At));
        }
        var answer = new AssetTrace(snapshot, asset, trace,
            ownership.Select(o => new OwnershipLink(Ref(o.OwnerId), o.From, o.FromPosition, o.To, o.ToPosition)).ToList(),
            locks.Select(l => new TraceLock(l.Id, l.Kind, l.FreezeId, Ref(l.PlacedBy), l.CounterpartyId is { } c ? Ref(c) : null, l.Authority?.ToString(),
                l.Purpose?.ToString(), l.Reason, l.PlacedAt, l.Id, l.LiftedAt, l.LiftedBy is { } b ? Ref(b) : null, l.LiftedPosition, l.LiftedHow, l.LiftReason)).ToList(),
            confirmations.Select(c => new TraceConfirmation(c.Round, c.Slot, Ref(c.ParticipantId), c.Decision, c.Comment, c.At, c.Position)).ToList(),
            evidence, state.Parent?.ToString(), state.SplitInto.IsEmpty ? null : [.. state.SplitInto.Select(p => p.ToString())]);
        // Not kept if a participant was read after the rest (not in the batch's snapshot): it would not stay true while the three
        // positions do.
        if (ids.Count == 0)
            cache.Keep(id.Value, new TraceCache.Entry(asset.LastPosition, read.ParticipantsChanged, proofs.Head.Anchors, FirstUnfinished(proofs), answer));
        return answer;
    }

    /// <summary>The timeline's statements, each with the asset's id as <c>$1</c>.</summary>
    static class TimelineSql
    {
        public const string Asset =
            $"""
            SELECT coalesce((SELECT min(position) FROM projection_checkpoints), 0) AS "ProjectedThrough", now() AS "TakenAt",
                   ({ParticipantsChangedSql}) AS "ParticipantsChanged", a.*
            FROM (SELECT 1) one LEFT JOIN (SELECT {AssetQueries.Columns} FROM assets WHERE asset_id = $1) a ON true
            """;

        public const string History =
            """
            SELECT h.position AS "Position", h.version AS "Version", h.event_id AS "EventId", h.event_type AS "Type", h.actor_id AS "ActorId",
                   h.at AS "At", h.recorded_at AS "RecordedAt", h.hash AS "Hash", h.previous_hash AS "PreviousHash", h.data::text AS "Data"
            FROM asset_history h WHERE h.asset_id = $1 ORDER BY h.version
            """;

        public const string Ownership =
            """
            SELECT owner_id AS "OwnerId", from_at AS "From", from_position AS "FromPosition", to_at AS "To", to_position AS "ToPosition"
            FROM ownership WHERE asset_id = $1 ORDER BY from_position
            """;

        public const string Locks =
            """
            SELECT placed_position AS "Id", kind AS "Kind", freeze_id AS "FreezeId", placed_by AS "PlacedBy", counterparty_id AS "CounterpartyId",
                   authority AS "Authority", purpose AS "Purpose", reason AS "Reason", placed_at AS "PlacedAt", lifted_at AS "LiftedAt",
                   lifted_by AS "LiftedBy", lifted_position AS "LiftedPosition", lifted_how AS "LiftedHow", lift_reason AS "LiftReason"
            FROM encumbrances WHERE asset_id = $1 ORDER BY placed_position
            """;

        public const string Confirmations =
            """
            SELECT round AS "Round", slot AS "Slot", participant_id AS "ParticipantId", decision AS "Decision", comment AS "Comment",
                   at AS "At", position AS "Position"
            FROM confirmations WHERE asset_id = $1 ORDER BY position
            """;
    }

    /// <summary>
    /// The statements in one REPEATABLE READ, read-only transaction, sent as one batch: BEGIN, the statements, COMMIT. Each
    /// statement gets the arguments it names (<c>$1</c>, <c>$2</c>…), so Npgsql sends its text as written, with no parsing on
    /// every call. If a statement fails, PostgreSQL skips the rest and the pool rolls the transaction back before the connection
    /// is used again.
    /// </summary>
    /// <remarks>
    /// Each statement's plan is made once per connection, not per call (issue 21). Left to choose, PostgreSQL re-planned the
    /// anchor proofs on 9 calls in 10 and the participants named on 4 in 10 (pg_stat_statements): about 440 us of planning per
    /// trace, more than the statements took to run. Their parameters are an asset's id and a log position, looked up through
    /// indexes, so the generic plan is as good as a custom one. LOCAL: the setting ends with the transaction, and the connection
    /// goes back to the pool unchanged.
    /// </remarks>
    static NpgsqlBatch Snapshot(NpgsqlConnection conn, IEnumerable<string> statements, params object[] args)
    {
        var batch = new NpgsqlBatch(conn);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL plan_cache_mode = force_generic_plan"));
        foreach (var sql in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            for (var i = 0; i < args.Length && sql.Contains($"${i + 1}", StringComparison.Ordinal); i++)
                command.Parameters.Add(new NpgsqlParameter { Value = args[i] });
            batch.BatchCommands.Add(command);
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        return batch;
    }

    /// <summary>The current answer's rows, mapped as Dapper maps a query's (by column name); then moves to the next answer.</summary>
    static async Task<List<T>> Rows<T>(System.Data.Common.DbDataReader r, CancellationToken ct)
    {
        var parse = r.GetRowParser<T>();
        var rows = new List<T>();
        while (await r.ReadAsync(ct)) rows.Add(parse(r));
        await r.NextResultAsync(ct);
        return rows;
    }

    /// <summary>
    /// Every participant the timeline names, with the asset's other rows in one round trip: the history's actors and the
    /// participants its events name (the fields <see cref="Mentioned"/> reads), owners, lock parties and confirmers; a row for
    /// each id asked, with no name when it is no participant.
    /// </summary>
    const string MentionedSql =
        """
        SELECT m.id AS "Id", p.name AS "Name", p.roles AS "Roles"
        FROM (SELECT actor_id FROM asset_history WHERE asset_id = $1
              UNION SELECT x FROM asset_history h CROSS JOIN LATERAL (VALUES (h.data->>'owner'), (h.data->>'by'), (h.data->>'from'), (h.data->>'to'),
                                   (h.data->>'venue'), (h.data->>'previousOwner'), (h.data#>>'{custody,venue}')) v(x) WHERE h.asset_id = $1
              UNION SELECT owner_id FROM ownership WHERE asset_id = $1
              UNION SELECT y FROM encumbrances e CROSS JOIN LATERAL (VALUES (e.placed_by), (e.counterparty_id), (e.lifted_by)) v(y) WHERE e.asset_id = $1
              UNION SELECT participant_id FROM confirmations WHERE asset_id = $1) m(id)
        LEFT JOIN participants p ON p.participant_id = m.id
        WHERE m.id IS NOT NULL
        """;

    sealed class MentionedRow
    {
        public string Id { get; init; } = "";
        public string? Name { get; init; }
        public string[]? Roles { get; init; }
    }

    static ProofStatus Proof(long position, PositionProof proof)
    {
        var refs = proof.Anchors.Select(a => new AnchorRef(a.Anchor, a.TreeSize, a.TransactionReference, a.AnchoredAt)).ToList();
        var (checkpoint, checkpointAt) = (proof.Checkpoint?.TreeSize, proof.Checkpoint?.CreatedAt);
        if (refs.Count > 0)
            return new ProofStatus(ProofState.Anchored, checkpoint, checkpointAt, refs,
                $"in checkpoint {checkpoint}; anchored at " + string.Join(", ", refs.Select(a => $"{a.Anchor} (checkpoint {a.TreeSize}, reference {a.TransactionReference})")));
        if (checkpoint is { } size)
            return new ProofStatus(ProofState.Checkpointed, size, checkpointAt, refs, $"in signed checkpoint {size}; not anchored yet");
        return new ProofStatus(ProofState.Sequenced, null, null, refs, $"sequenced at log position {position}; no signed checkpoint covers it yet");
    }

    static IEnumerable<string> Mentioned(IAssetEvent e) => e switch
    {
        AssetRegistered r => [r.Owner.Value, r.By.Value],
        AssetTransferOffered o => [o.From.Value, o.To.Value],
        AssetTransferred t => [t.From.Value, t.To.Value],
        AssetTransferredOut o => [o.Venue.Value],
        AssetReturned r => [r.Venue.Value, r.Owner.Value, r.PreviousOwner.Value],
        AssetSplitOff o => [o.Owner.Value, o.By.Value, .. o.Custody is { } c ? new[] { c.Venue.Value } : []],
        _ => [],
    };

    internal static async Task<Dictionary<string, ParticipantRef>> Participants(NpgsqlConnection conn, NpgsqlTransaction? tx, IEnumerable<string> ids, CancellationToken ct)
    {
        var rows = await conn.QueryAsync<ParticipantRow>(new CommandDefinition(
            """SELECT participant_id AS "Id", name AS "Name", roles AS "Roles" FROM participants WHERE participant_id = ANY(@ids)""",
            new { ids = ids.Distinct().ToArray() }, tx, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => new ParticipantRef(r.Id, r.Name, r.Roles), StringComparer.Ordinal);
    }

    /// <summary>
    /// One page of the assets matching <paramref name="search"/>, most recently changed first. Keyset paging on
    /// (last change, last position): an asset that changes while a client pages moves to the front, so it is not repeated.
    /// </summary>
    /// <exception cref="InvalidCursorException">The cursor is not one this list gave out.</exception>
    public async Task<TracePage> Search(TraceSearch search, string? cursor, int limit, CancellationToken ct)
    {
        var after = Cursor.DecodeTimePosition(SearchList, cursor);
        limit = Math.Clamp(limit, 1, MaxLimit);
        var where = new List<string>();
        var args = new DynamicParameters();
        void Where(string condition, string name, object? value)
        {
            where.Add(condition);
            args.Add(name, value);
        }
        if (after is { } a)
        {
            where.Add("(a.last_changed_at, a.last_position) < (@afterAt, @afterPosition)");
            args.Add("afterAt", a.At);
            args.Add("afterPosition", a.Position);
        }
        if (search.Kind is { } kind) Where("a.kind = @kind", "kind", kind.ToString());
        if (search.Status is { } status) Where("a.status = @status", "status", status.ToString());
        if (search.OwnerId is { } owner) Where("a.owner_id = @owner", "owner", owner);
        if (search.VenueId is { } venue) Where("a.venue_id = @venue", "venue", venue);
        if (search.WarehouseId is { } warehouse) Where("a.warehouse_id = @warehouse", "warehouse", warehouse);
        if (search.DebtorId is { } debtor) Where("a.debtor_id = @debtor", "debtor", debtor);
        if (search.Commodity is { } commodity) Where("a.commodity = @commodity", "commodity", commodity);
        string? textCondition = null;
        if (search.Text is { } text)
        {
            textCondition = "(coalesce(a.title, '') || ' ' || coalesce(a.receipt_number, '') || ' ' || coalesce(a.bill_number, '')) ILIKE @text";
            args.Add("text", $"%{EscapeLike(text)}%");
        }
        if (search.RegisteredFrom is { } rf) Where("a.registered_at >= @registeredFrom", "registeredFrom", rf);
        if (search.RegisteredTo is { } rt) Where("a.registered_at < @registeredTo", "registeredTo", rt);
        if (search.ChangedFrom is { } cf) Where("a.last_changed_at >= @changedFrom", "changedFrom", cf);
        if (search.ChangedTo is { } ctt) Where("a.last_changed_at < @changedTo", "changedTo", ctt);
        switch (search.Lock)
        {
            case AssetLock.Any: where.Add("(a.frozen OR a.out OR a.offered)"); break;
            case AssetLock.Frozen: where.Add("a.frozen"); break;
            case AssetLock.Out: where.Add("a.out"); break;
            case AssetLock.Offered: where.Add("a.offered"); break;
            case AssetLock.None: where.Add("NOT (a.frozen OR a.out OR a.offered)"); break;
        }
        args.Add("take", limit + 1);
        args.Add("window", TextWindow);
        var filters = where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "";
        var ordered = "ORDER BY a.last_changed_at DESC, a.last_position DESC";
        string Page(string from) =>
            $"""
            SELECT replace(a.asset_id::text, '-', '') AS "Id", a.kind AS "Kind", a.status AS "Status", a.natural_key AS "NaturalKey",
                   a.owner_id AS "OwnerId", p.name AS "OwnerName", a.warehouse_id AS "WarehouseId", a.receipt_number AS "ReceiptNumber",
                   a.commodity AS "Commodity", a.quantity AS "Quantity", a.quantity_unit AS "QuantityUnit", a.debtor_id AS "DebtorId",
                   a.bill_number AS "BillNumber", a.amount AS "Amount", a.currency AS "Currency", a.title AS "Title", a.frozen AS "Frozen",
                   a.out AS "Out", a.venue_id AS "VenueId", a.venue_purpose AS "VenuePurpose", a.offered AS "Offered", a.version AS "Version",
                   a.registered_at AS "RegisteredAt", a.last_changed_at AS "LastChangedAt", a.last_position AS "LastPosition"
            FROM ({from}) a
            LEFT JOIN participants p ON p.participant_id = a.owner_id
            {ordered};
            """;
        // With free text the planner cannot tell how many assets a phrase matches, nor where they lie: it walks the newest-first
        // index and tests each asset, and for a phrase whose matches are few or old that reads a large part of the table
        // (20-30 ms at 200,000 assets, ~190 ms at a million). So free text goes two ways, both exact:
        //  1. among the newest TextWindow assets that pass the other filters (an index scan in order, under a millisecond):
        //     if a whole page matches there, that page is the answer, as every other match is older;
        //  2. otherwise every match, found through the trigram index, is collected first (MATERIALIZED keeps the planner from
        //     going back to the ordered walk), then sorted: the cost follows the number of matches, which step 1 showed are
        //     not dense among the newest.
        var textFilters = textCondition is null ? filters : (where.Count > 0 ? filters + " AND " : "WHERE ") + textCondition;
        var everything = textCondition is null
            ? $"SELECT * FROM assets a {filters} {ordered} LIMIT @take"
            : $"""
              WITH m AS MATERIALIZED (SELECT a.asset_id, a.last_changed_at, a.last_position FROM assets a {textFilters})
              SELECT a.* FROM assets a JOIN (SELECT a.asset_id FROM m a {ordered} LIMIT @take) m ON m.asset_id = a.asset_id
              """;
        var recent = textCondition is null ? null
            : $"SELECT * FROM (SELECT * FROM assets a {filters} {ordered} LIMIT @window) a WHERE {textCondition} {ordered} LIMIT @take";
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        long projectedThrough;
        List<TraceHit> rows;
        await using (var grid = await conn.QueryMultipleAsync(new CommandDefinition(SnapshotSql + Page(recent ?? everything), args, tx, cancellationToken: ct)))
        {
            projectedThrough = (await grid.ReadSingleAsync<SnapshotRow>()).ProjectedThrough;
            rows = (await grid.ReadAsync<TraceHit>()).AsList();
        }
        if (recent is not null && rows.Count <= limit)
            rows = (await conn.QueryAsync<TraceHit>(new CommandDefinition(Page(everything), args, tx, cancellationToken: ct))).AsList();
        await tx.CommitAsync(ct);
        if (rows.Count <= limit) return new TracePage(rows, null, projectedThrough);
        rows.RemoveAt(limit);
        var last = rows[^1];
        return new TracePage(rows, Cursor.EncodeTimePosition(SearchList, last.LastChangedAt, last.LastPosition), projectedThrough);
    }

    internal static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    sealed class HistoryRow
    {
        public long Position { get; init; }
        public long Version { get; init; }
        public Guid EventId { get; init; }
        public string Type { get; init; } = "";
        public string? ActorId { get; init; }
        public DateTimeOffset At { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string Hash { get; init; } = "";
        public string? PreviousHash { get; init; }
        public string Data { get; init; } = "";
    }

    sealed class TimelineHead
    {
        public long ProjectedThrough { get; init; }
        public DateTimeOffset TakenAt { get; init; }
        public long ParticipantsChanged { get; init; }
    }

    internal sealed class SnapshotRow
    {
        public long ProjectedThrough { get; init; }
        public DateTimeOffset TakenAt { get; init; }
    }

    sealed class ParticipantRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string[] Roles { get; init; } = [];
    }
}
