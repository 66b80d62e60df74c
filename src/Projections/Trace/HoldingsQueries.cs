using System.Data;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Serialization;
using Dapper;
using Npgsql;

namespace AssetLedger.Projections.Trace;

/// <summary>
/// What a participant owns, holds as a venue, has confirmed and has frozen, now or at any earlier time. Answered from
/// the history tables (ownership periods, locks placed and lifted, confirmations), never from the current-state table,
/// and each asset's state at that time is replayed from its events up to then.
/// </summary>
public sealed class HoldingsQueries(NpgsqlDataSource db)
{
    public const int MaxLimit = 500;

    /// <param name="asOf">The time asked about; null for now.</param>
    /// <param name="only">One relation to page through with <paramref name="cursor"/>; null for the first page of each.</param>
    /// <returns>Null if no such participant is registered.</returns>
    /// <exception cref="InvalidCursorException">The cursor is not one the <paramref name="only"/> list gave out.</exception>
    public async Task<Holdings?> For(ParticipantId participant, DateTimeOffset? asOf, HoldingRelation? only, string? cursor, int limit, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        var after = only is { } o ? Cursor.DecodeTimePosition(ListName(o), cursor) : null;
        var relations = only is { } one ? [one] : Enum.GetValues<HoldingRelation>();

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var people = await TraceQueries.Participants(conn, tx, [participant.Value], ct);
        if (!people.TryGetValue(participant.Value, out var who)) return null;

        var args = new DynamicParameters(new { pid = participant.Value, take = limit + 1 });
        if (asOf is { } t) args.Add("asOf", t);
        if (after is { } a) { args.Add("afterAt", a.At); args.Add("afterPosition", a.Position); }
        var sql = TraceQueries.SnapshotSql + string.Concat(relations.Select(r => Sql(r, asOf is not null, after is not null)));
        var pages = new Dictionary<HoldingRelation, List<Row>>();
        long projectedThrough;
        await using (var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct)))
        {
            projectedThrough = (await grid.ReadSingleAsync<TraceQueries.SnapshotRow>()).ProjectedThrough;
            foreach (var r in relations) pages[r] = (await grid.ReadAsync<Row>()).AsList();
        }

        var ids = pages.Values.SelectMany(p => p.Take(limit)).Select(r => r.AssetId).Distinct().ToArray();
        var states = await StatesAt(conn, tx, ids, asOf, ct);
        await tx.CommitAsync(ct);

        HoldingList? List(HoldingRelation relation)
        {
            if (!pages.TryGetValue(relation, out var rows)) return null;
            var more = rows.Count > limit;
            var items = rows.Take(limit).Select(r =>
            {
                var (info, s) = states[r.AssetId];
                return new Holding(r.AssetId.ToString("N"), info.Kind, info.NaturalKey, info.Commodity, info.Title, r.Since, r.SincePosition, r.Until, r.Detail,
                    new HoldingState(s.Status, s.Owner.Value, s.Version, s.IsFrozen, s.IsOut, s.Custody?.Venue.Value, s.PendingOffer is not null));
            }).ToList();
            return new HoldingList(items, more ? Cursor.EncodeTimePosition(ListName(relation), items[^1].Since, items[^1].SincePosition) : null);
        }
        return new Holdings(who, asOf, projectedThrough, List(HoldingRelation.Owned), List(HoldingRelation.HeldAsVenue), List(HoldingRelation.Confirmed), List(HoldingRelation.Frozen));
    }

    /// <summary>One relation's page, newest first; "open at T" means placed by T and not lifted by T.</summary>
    static string Sql(HoldingRelation relation, bool asOf, bool paged)
    {
        string Open(string from, string to, string openNow) => asOf ? $"{from} <= @asOf AND ({to} IS NULL OR {to} > @asOf)" : openNow;
        string Keyset(string at, string position) => paged ? $" AND ({at}, {position}) < (@afterAt, @afterPosition)" : "";
        return relation switch
        {
            HoldingRelation.Owned =>
                $"""
                SELECT o.asset_id AS "AssetId", o.from_at AS "Since", o.from_position AS "SincePosition", o.to_at AS "Until", NULL AS "Detail"
                FROM ownership o
                WHERE o.owner_id = @pid AND {Open("o.from_at", "o.to_at", "o.to_position IS NULL")}{Keyset("o.from_at", "o.from_position")}
                  AND NOT EXISTS (SELECT 1 FROM asset_history h WHERE h.asset_id = o.asset_id AND h.event_type IN ('asset-cancelled', 'asset-rejected'){(asOf ? " AND h.at <= @asOf" : "")})
                ORDER BY o.from_at DESC, o.from_position DESC LIMIT @take;
                """,
            HoldingRelation.HeldAsVenue =>
                $"""
                SELECT e.asset_id AS "AssetId", e.placed_at AS "Since", e.placed_position AS "SincePosition", e.lifted_at AS "Until", e.purpose AS "Detail"
                FROM encumbrances e
                WHERE e.kind = 'Custody' AND e.counterparty_id = @pid AND {Open("e.placed_at", "e.lifted_at", "e.lifted_position IS NULL")}{Keyset("e.placed_at", "e.placed_position")}
                ORDER BY e.placed_at DESC, e.placed_position DESC LIMIT @take;
                """,
            HoldingRelation.Confirmed =>
                $"""
                SELECT c.asset_id AS "AssetId", c.at AS "Since", c.position AS "SincePosition", NULL::timestamptz AS "Until", c.slot AS "Detail"
                FROM confirmations c
                WHERE c.participant_id = @pid AND c.decision = 'Approved'{(asOf ? " AND c.at <= @asOf" : "")}{Keyset("c.at", "c.position")}
                ORDER BY c.at DESC, c.position DESC LIMIT @take;
                """,
            _ =>
                $"""
                SELECT e.asset_id AS "AssetId", e.placed_at AS "Since", e.placed_position AS "SincePosition", e.lifted_at AS "Until",
                       e.authority || ': ' || e.reason AS "Detail"
                FROM encumbrances e
                WHERE e.kind = 'Freeze' AND e.placed_by = @pid AND {Open("e.placed_at", "e.lifted_at", "e.lifted_position IS NULL")}{Keyset("e.placed_at", "e.placed_position")}
                ORDER BY e.placed_at DESC, e.placed_position DESC LIMIT @take;
                """,
        };
    }

    /// <summary>Each asset's fixed facts, and its state replayed from its events up to <paramref name="asOf"/> (all of them for now).</summary>
    static async Task<Dictionary<Guid, (AssetInfo Info, AssetState State)>> StatesAt(NpgsqlConnection conn, NpgsqlTransaction tx, Guid[] ids, DateTimeOffset? asOf, CancellationToken ct)
    {
        if (ids.Length == 0) return [];
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT asset_id AS "AssetId", kind AS "Kind", natural_key AS "NaturalKey", commodity AS "Commodity", title AS "Title" FROM assets WHERE asset_id = ANY(@ids);
            SELECT asset_id AS "AssetId", event_type AS "Type", data::text AS "Data" FROM asset_history
            WHERE asset_id = ANY(@ids){(asOf is null ? "" : " AND at <= @asOf")} ORDER BY asset_id, version;
            """, new { ids, asOf }, tx, cancellationToken: ct));
        var infos = (await grid.ReadAsync<AssetInfo>()).ToDictionary(i => i.AssetId);
        var events = (await grid.ReadAsync<EventRow>()).ToLookup(e => e.AssetId);
        return ids.ToDictionary(id => id, id => (infos[id], events[id].Aggregate(AssetState.Initial,
            (s, e) => AssetState.Evolve(s, (IAssetEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data)))));
    }

    static string ListName(HoldingRelation relation) => $"holdings-{relation}";

    sealed class Row
    {
        public Guid AssetId { get; init; }
        public DateTimeOffset Since { get; init; }
        public long SincePosition { get; init; }
        public DateTimeOffset? Until { get; init; }
        public string? Detail { get; init; }
    }

    sealed class AssetInfo
    {
        public Guid AssetId { get; init; }
        public AssetKind Kind { get; init; }
        public string NaturalKey { get; init; } = "";
        public string? Commodity { get; init; }
        public string? Title { get; init; }
    }

    sealed class EventRow
    {
        public Guid AssetId { get; init; }
        public string Type { get; init; } = "";
        public string Data { get; init; } = "";
    }
}
