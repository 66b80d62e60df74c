using System.Text.Json;
using AssetLedger.Application.Assets;
using AssetLedger.Domain.Common;
using Dapper;
using Npgsql;

namespace AssetLedger.Projections.Assets;

/// <summary>Reads of the asset read models. Every list runs on an index in registered_position order (see 0002_read_models.sql).</summary>
public sealed class AssetQueries(NpgsqlDataSource db)
{
    public const int MaxLimit = 500;
    const string ListName = "assets";

    internal const string Columns =
        """
        replace(asset_id::text, '-', '') AS "Id", kind AS "Kind", status AS "Status", owner_id AS "OwnerId", natural_key AS "NaturalKey",
        warehouse_id AS "WarehouseId", receipt_number AS "ReceiptNumber", commodity AS "Commodity", quantity AS "Quantity",
        quantity_unit AS "QuantityUnit", debtor_id AS "DebtorId", bill_number AS "BillNumber", amount AS "Amount", currency AS "Currency",
        due_date AS "DueDate", title AS "Title", content_sha256 AS "ContentSha256", media_type AS "MediaType", description AS "Description",
        frozen AS "Frozen", freeze_count AS "FreezeCount", out AS "Out", venue_id AS "VenueId", venue_purpose AS "VenuePurpose",
        offered AS "Offered", offered_to AS "OfferedTo", confirmations_required AS "ConfirmationsRequired",
        confirmations_given AS "ConfirmationsGiven", confirmation_round AS "ConfirmationRound", evidence_count AS "EvidenceCount",
        version AS "Version", registered_at AS "RegisteredAt", registered_position AS "RegisteredPosition",
        last_changed_at AS "LastChangedAt", last_position AS "LastPosition",
        replace(parent_id::text, '-', '') AS "ParentId", ARRAY(SELECT replace(p::text, '-', '') FROM unnest(split_into) p) AS "SplitInto"
        """;

    public async Task<AssetView?> Find(AssetId id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<AssetView>(new CommandDefinition(
            $"SELECT {Columns} FROM assets WHERE asset_id = @id", new { id = id.Value }, cancellationToken: ct));
    }

    /// <summary>
    /// One page of the assets matching <paramref name="filter"/>, in registration order. Paging is keyset on the
    /// registration position, which never changes, so walking the pages while assets change neither repeats nor
    /// skips an asset that matches throughout; assets registered meanwhile come at the end.
    /// </summary>
    /// <param name="cursor">Null (or empty) for the first page, else the previous page's <see cref="AssetPage.NextCursor"/>.</param>
    /// <param name="limit">Page size, clamped to 1–<see cref="MaxLimit"/>.</param>
    /// <exception cref="InvalidCursorException">The cursor is not one this list gave out.</exception>
    public async Task<AssetPage> List(AssetFilter filter, string? cursor, int limit, CancellationToken ct)
    {
        var after = Cursor.DecodePosition(ListName, cursor);
        limit = Math.Clamp(limit, 1, MaxLimit);
        var where = new List<string>();
        var args = new DynamicParameters();
        void Where(string condition, string name, object? value)
        {
            where.Add(condition);
            args.Add(name, value);
        }
        if (after is { } a) Where("registered_position > @after", "after", a);
        if (filter.Kind is { } kind) Where("kind = @kind", "kind", kind.ToString());
        if (filter.Status is { } status) Where("status = @status", "status", status.ToString());
        if (filter.OwnerId is { } owner) Where("owner_id = @owner", "owner", owner);
        if (filter.WarehouseId is { } warehouse) Where("warehouse_id = @warehouse", "warehouse", warehouse);
        if (filter.DebtorId is { } debtor) Where("debtor_id = @debtor", "debtor", debtor);
        if (filter.VenueId is { } venue) Where("venue_id = @venue", "venue", venue);
        if (filter.Commodity is { } commodity) Where("commodity = @commodity", "commodity", commodity);
        if (filter.ParentId is { } parent) Where("parent_id = @parent", "parent", parent);
        if (filter.OfferedTo is { } offeredTo) Where("offered AND offered_to = @offeredTo", "offeredTo", offeredTo);
        if (filter.SlotOpenTo is { } confirmer)
        {
            // required_confirmers is [{slot, role, named}], confirmed_by {slot: participant} for the current round.
            Where("""
                status = 'Pending' AND EXISTS (SELECT 1 FROM jsonb_array_elements(required_confirmers) c
                    WHERE (confirmed_by -> (c->>'slot')) IS NULL
                      AND (c->>'named' = @confirmer OR (c->>'named' IS NULL AND c->>'role' = ANY(@confirmerRoles))))
                """, "confirmer", confirmer.Id.Value);
            args.Add("confirmerRoles", confirmer.Roles.Select(r => r.ToString()).ToArray());
        }
        if (filter.VisibleTo is { } reader && !AssetAccess.SeesAll(reader))
        {
            // The projection stored AssetAccess's audience of each asset: who may see it, and which roles may.
            Where("(visible_to @> ARRAY[@me]::text[] OR visible_to_roles && @roles)", "me", reader.Id.Value);
            args.Add("roles", reader.Roles.Select(r => r.ToString()).ToArray());
        }
        switch (filter.Locked)
        {
            case AssetLock.Any: where.Add("(frozen OR out OR offered)"); break;
            case AssetLock.Frozen: where.Add("frozen"); break;
            case AssetLock.Out: where.Add("out"); break;
            case AssetLock.Offered: where.Add("offered"); break;
            case AssetLock.None: where.Add("NOT (frozen OR out OR offered)"); break;
        }
        args.Add("take", limit + 1);
        var sql = $"SELECT {Columns} FROM assets {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY registered_position LIMIT @take";

        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<AssetView>(new CommandDefinition(sql, args, cancellationToken: ct))).AsList();
        if (rows.Count <= limit) return new AssetPage(rows, null);
        rows.RemoveAt(limit);
        return new AssetPage(rows, Cursor.EncodePosition(ListName, rows[^1].RegisteredPosition));
    }

    /// <summary>The asset's events, oldest first; empty for an unknown asset.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> History(AssetId id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<HistoryEntry, string, HistoryEntry>(new CommandDefinition(
            """
            SELECT position AS "Position", version AS "Version", event_id AS "EventId", event_type AS "Type", actor_id AS "ActorId",
                   at AS "At", recorded_at AS "RecordedAt", hash AS "Hash", previous_hash AS "PreviousHash", data::text AS "Data"
            FROM asset_history WHERE asset_id = @id ORDER BY version
            """, new { id = id.Value }, cancellationToken: ct),
            (entry, data) => entry with { Data = JsonElement.Parse(data) }, splitOn: "Data");
        return rows.AsList();
    }

    /// <summary>The chain of owners, first registration first.</summary>
    public async Task<IReadOnlyList<OwnershipPeriod>> Ownership(AssetId id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<OwnershipPeriod>(new CommandDefinition(
            """
            SELECT owner_id AS "OwnerId", from_at AS "From", from_position AS "FromPosition", to_at AS "To", to_position AS "ToPosition"
            FROM ownership WHERE asset_id = @id ORDER BY from_position
            """, new { id = id.Value }, cancellationToken: ct))).AsList();
    }

    /// <summary>Every confirmation and rejection, all rounds, in log order.</summary>
    public async Task<IReadOnlyList<ConfirmationView>> Confirmations(AssetId id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ConfirmationView>(new CommandDefinition(
            """
            SELECT round AS "Round", slot AS "Slot", participant_id AS "ParticipantId", decision AS "Decision", comment AS "Comment",
                   at AS "At", position AS "Position"
            FROM confirmations WHERE asset_id = @id ORDER BY position
            """, new { id = id.Value }, cancellationToken: ct))).AsList();
    }

    /// <summary>Locks placed on the asset, in the order placed; <paramref name="openOnly"/> leaves out the lifted ones.</summary>
    public async Task<IReadOnlyList<EncumbranceView>> Encumbrances(AssetId id, bool openOnly, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<EncumbranceView>(new CommandDefinition(
            $"""
            SELECT placed_position AS "Id", kind AS "Kind", freeze_id AS "FreezeId", placed_by AS "PlacedBy", counterparty_id AS "CounterpartyId",
                   authority AS "Authority", purpose AS "Purpose", reason AS "Reason", placed_at AS "PlacedAt", lifted_at AS "LiftedAt",
                   lifted_by AS "LiftedBy", lifted_position AS "LiftedPosition", lifted_how AS "LiftedHow", lift_reason AS "LiftReason"
            FROM encumbrances WHERE asset_id = @id {(openOnly ? "AND lifted_position IS NULL" : "")} ORDER BY placed_position
            """, new { id = id.Value }, cancellationToken: ct))).AsList();
    }
}
