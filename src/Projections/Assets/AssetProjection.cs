using System.Text.Json;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices.Alarms;
using Npgsql;

namespace AssetLedger.Projections.Assets;

/// <summary>
/// Feeds assets, asset_history, ownership, confirmations and encumbrances. A batch loads the current rows
/// of the assets it touches, folds its events into them in memory, and writes every table with one
/// statement each: lifts and closes of rows that were open before the batch first, then the inserts.
/// Each asset row also carries who may see it, as AssetAccess decides (see <see cref="AssetVisibility"/>).
/// </summary>
sealed class AssetProjection : IProjection
{
    public string Name => "assets";
    public IReadOnlyList<string> Tables { get; } = ["assets", "asset_history", "ownership", "confirmations", "encumbrances"];

    public async Task Apply(NpgsqlConnection conn, IReadOnlyList<LogEvent> events, CancellationToken ct)
    {
        var mine = events.Where(e => e.Event is IAssetEvent).ToList();
        if (mine.Count == 0) return;
        var ids = mine.Select(e => ((IAssetEvent)e.Event!).Asset.Value).Distinct().ToArray();
        var existing = await RowJson.Read<AssetRow>(conn, "SELECT to_jsonb(a)::text FROM assets a WHERE asset_id = ANY($1)", ids, ct);

        var batch = new AssetBatch(existing);
        foreach (var e in mine) batch.Apply(e, (IAssetEvent)e.Event!);

        await using var write = new NpgsqlBatch(conn);
        write.AddWithRows(
            """
            UPDATE ownership o SET to_at = c.to_at, to_position = c.to_position
            FROM jsonb_populate_recordset(null::ownership, $1) c
            WHERE o.asset_id = c.asset_id AND o.to_position IS NULL
            """, batch.OwnershipClosed);
        write.AddWithRows(
            """
            UPDATE encumbrances e SET lifted_at = l.lifted_at, lifted_by = l.lifted_by, lifted_position = l.lifted_position,
                                      lifted_how = l.lifted_how, lift_reason = l.lift_reason
            FROM jsonb_populate_recordset(null::encumbrances, $1) l
            WHERE e.asset_id = l.asset_id AND e.kind = l.kind AND e.freeze_id IS NOT DISTINCT FROM l.freeze_id AND e.lifted_position IS NULL
            """, batch.EncumbrancesLifted);
        if (existing.Count > 0)
            write.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM assets WHERE asset_id = ANY($1)") { Parameters = { new() { Value = existing.Select(r => r.AssetId).ToArray() } } });
        write.AddInsert("assets", batch.Assets);
        write.AddInsert("asset_history", batch.History);
        write.AddInsert("ownership", batch.Ownership);
        write.AddInsert("confirmations", batch.Confirmations);
        write.AddInsert("encumbrances", batch.Encumbrances);
        await write.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>One batch's changes, folded in log order.</summary>
sealed class AssetBatch(IEnumerable<AssetRow> existing)
{
    readonly Dictionary<Guid, AssetRow> _assets = existing.ToDictionary(r => r.AssetId);
    // Rows placed in this batch and still open: a later event of the batch lifts them before they are inserted.
    readonly Dictionary<Guid, OwnershipRow> _openOwnership = [];
    readonly Dictionary<(Guid Asset, string Kind, string? FreezeId), EncumbranceRow> _openEncumbrances = [];

    public IReadOnlyCollection<AssetRow> Assets => _assets.Values;
    public List<HistoryRow> History { get; } = [];
    public List<OwnershipRow> Ownership { get; } = [];
    /// <summary>Closes of periods that were open before this batch.</summary>
    public List<OwnershipRow> OwnershipClosed { get; } = [];
    public List<ConfirmationRow> Confirmations { get; } = [];
    public List<EncumbranceRow> Encumbrances { get; } = [];
    /// <summary>Lifts of locks that were open before this batch.</summary>
    public List<EncumbranceRow> EncumbrancesLifted { get; } = [];

    public void Apply(LogEvent log, IAssetEvent e)
    {
        var s = log.Stored;
        History.Add(new HistoryRow(s.Position, e.Asset.Value, s.Version, s.EventId, s.Type, log.Actor, e.At, s.RecordedAt, s.Hash, s.PreviousHash,
            JsonSerializer.Deserialize<JsonElement>(s.Data)));

        if (e is AssetRegistered r)
        {
            _assets[r.Asset.Value] = Registered(r, log.Position);
            OpenOwnership(r.Asset.Value, r.Owner.Value, r.At, log.Position);
        }
        if (e is AssetSplitOff o)
        {
            _assets[o.Asset.Value] = SplitOff(o, log.Position);
            OpenOwnership(o.Asset.Value, o.Owner.Value, o.At, log.Position);
        }
        var a = _assets.TryGetValue(e.Asset.Value, out var row) ? row
            : throw new InvalidOperationException($"Event {s.Position} ({s.Type}) is for asset {e.Asset}, which has no asset-registered before it.");
        Fold(a, e, log.Position);
        AssetVisibility.Update(a);
        a.Version = s.Version;
        a.LastChangedAt = e.At;
        a.LastPosition = log.Position;
    }

    static AssetRow Registered(AssetRegistered r, long position)
    {
        var d = r.Details;
        return new AssetRow
        {
            AssetId = r.Asset.Value, Kind = r.Kind.ToString(), Status = nameof(AssetStatus.Pending), OwnerId = r.Owner.Value, NaturalKey = r.Key,
            WarehouseId = d.Warehouse?.Value, ReceiptNumber = d.ReceiptNumber, DebtorId = d.Debtor?.Value, BillNumber = d.BillNumber,
            ContentSha256 = d.ContentSha256, ConfirmationsRequired = r.RequiredConfirmers.Count, ConfirmationRound = 1,
            RegisteredAt = r.At, RegisteredPosition = position, PendingSince = r.At,
            RequiredConfirmers = r.RequiredConfirmers.Select(c => new ConfirmerRow(c.Slot, c.Role, c.Named?.Value)).ToList(),
        };
    }

    /// <summary>A part starts as its parent stood at the split: Active, confirmed by the same parties, out at the same venue.</summary>
    static AssetRow SplitOff(AssetSplitOff o, long position)
    {
        var d = o.Details;
        var row = new AssetRow
        {
            AssetId = o.Asset.Value, Kind = o.Kind.ToString(), Status = nameof(AssetStatus.Active), OwnerId = o.Owner.Value, NaturalKey = o.Key,
            WarehouseId = d.Warehouse?.Value, ReceiptNumber = d.ReceiptNumber, ConfirmationsRequired = o.RequiredConfirmers.Count,
            ConfirmationsGiven = o.Confirmations.Count, ConfirmationRound = 1, RegisteredAt = o.At, RegisteredPosition = position, ParentId = o.Parent.Value,
            RequiredConfirmers = o.RequiredConfirmers.Select(c => new ConfirmerRow(c.Slot, c.Role, c.Named?.Value)).ToList(),
        };
        foreach (var c in o.Confirmations) row.ConfirmedBy[c.Slot] = c.By.Value;
        return row;
    }

    void Fold(AssetRow a, IAssetEvent e, long position)
    {
        switch (e)
        {
            case AssetRegistered r:
                SetDetails(a, r.Details);
                break;
            case AssetConfirmed c:
                Confirmations.Add(new ConfirmationRow(a.AssetId, a.ConfirmationRound, c.Slot, c.By.Value, "Approved", c.Comment, c.At, position));
                a.ConfirmationsGiven++;
                a.ConfirmedBy[c.Slot] = c.By.Value;
                if (a.ConfirmationsGiven >= a.ConfirmationsRequired) (a.Status, a.PendingSince) = (nameof(AssetStatus.Active), null);
                break;
            case AssetRejected j:
                Confirmations.Add(new ConfirmationRow(a.AssetId, a.ConfirmationRound, j.Slot, j.By.Value, "Rejected", j.Comment, j.At, position));
                (a.Status, a.PendingSince) = (nameof(AssetStatus.Rejected), null);
                break;
            case AssetAmended m:
                SetDetails(a, m.Details);
                if (m.Material)
                {
                    (a.Status, a.ConfirmationsGiven, a.ConfirmationRound, a.PendingSince) = (nameof(AssetStatus.Pending), 0, a.ConfirmationRound + 1, m.At);
                    a.ConfirmedBy.Clear();
                }
                break;
            case AssetTransferOffered o:
                (a.Offered, a.OfferedTo) = (true, o.To.Value);
                Place(new EncumbranceRow { PlacedPosition = position, AssetId = a.AssetId, Kind = "Offer", PlacedBy = o.From.Value, CounterpartyId = o.To.Value, PlacedAt = o.At });
                break;
            case AssetTransferred t:
                (a.Offered, a.OfferedTo) = (false, null);
                Lift(a.AssetId, "Offer", null, t.To.Value, t.At, position, "Accepted");
                ChangeOwner(a, t.To.Value, t.At, position);
                break;
            case AssetTransferDeclined d:
                (a.Offered, a.OfferedTo) = (false, null);
                Lift(a.AssetId, "Offer", null, d.By.Value, d.At, position, "Declined");
                break;
            case AssetTransferWithdrawn w:
                (a.Offered, a.OfferedTo) = (false, null);
                Lift(a.AssetId, "Offer", null, w.By.Value, w.At, position, "Withdrawn");
                break;
            case AssetTransferredOut o:
                (a.Out, a.VenueId, a.VenuePurpose) = (true, o.Venue.Value, o.Purpose.ToString());
                Place(new EncumbranceRow { PlacedPosition = position, AssetId = a.AssetId, Kind = "Custody", PlacedBy = o.By.Value, CounterpartyId = o.Venue.Value, Purpose = o.Purpose.ToString(), PlacedAt = o.At });
                break;
            case AssetReturned r:
                (a.Out, a.VenueId, a.VenuePurpose) = (false, null, null);
                Lift(a.AssetId, "Custody", null, r.Venue.Value, r.At, position, "Returned");
                if (r.Owner.Value != a.OwnerId) ChangeOwner(a, r.Owner.Value, r.At, position);
                break;
            case AssetFrozen f:
                Freeze(a, f.FreezeId, f.Authority, f.Reason, f.By, f.At, position);
                break;
            case AssetUnfrozen u:
                Unfreeze(a, u.FreezeId, u.By, u.At, position, "Unfrozen", u.Reason);
                break;
            // A critical IoT alarm is a freeze under the alarm's id; a warning and a first party's clearance lock nothing.
            case IotAlarmRaised { Severity: AlarmSeverity.Critical } x:
                Freeze(a, x.AlarmId, FreezeAuthority.IotAlarm, x.Detail, x.By, x.At, position);
                break;
            case IotAlarmCleared { Unfroze: true } x:
                Unfreeze(a, x.AlarmId, x.By, x.At, position, "AlarmCleared", x.Remark);
                break;
            case IotAlarmRaised or IotAlarmClearanceGiven or IotAlarmCleared:
                break;
            case AssetCancelled:
                a.Status = nameof(AssetStatus.Cancelled);
                break;
            case EvidenceAttached:
                a.EvidenceCount++;
                break;
            case AssetExpired:
                (a.Status, a.PendingSince) = (nameof(AssetStatus.Expired), null);
                break;
            case AssetSplitOff o:
                SetDetails(a, o.Details);
                if (o.Custody is { } custody)
                {
                    (a.Out, a.VenueId, a.VenuePurpose) = (true, custody.Venue.Value, custody.Purpose.ToString());
                    Place(new EncumbranceRow { PlacedPosition = position, AssetId = a.AssetId, Kind = "Custody", PlacedBy = o.By.Value, CounterpartyId = custody.Venue.Value, Purpose = custody.Purpose.ToString(), PlacedAt = o.At });
                }
                break;
            case AssetSplit x:
                a.Status = nameof(AssetStatus.Split);
                a.SplitInto = [.. x.Parts.Select(p => p.Asset.Value)];
                if (a.Out)
                {
                    // The custody moves to the parts, each of which places its own.
                    (a.Out, a.VenueId, a.VenuePurpose) = (false, null, null);
                    Lift(a.AssetId, "Custody", null, x.By.Value, x.At, position, "Split");
                }
                break;
            case AssetReleaseRequested or AssetReleaseDeclined:
                break; // the request and its refusal live in the history; the quantity changes only with a release
            case AssetGoodsReleased g:
                a.Quantity = g.Remaining.Value;
                if (!Decimals.IsZero(g.Remaining.Value)) break;
                a.Status = nameof(AssetStatus.Released);
                if (a.Out)
                {
                    (a.Out, a.VenueId, a.VenuePurpose) = (false, null, null);
                    Lift(a.AssetId, "Custody", null, g.ConsentedBy!.Value.Value, g.At, position, "Released");
                }
                break;
            default:
                throw new InvalidOperationException($"The asset projection has no fold for {e.GetType().Name}.");
        }
    }

    static void SetDetails(AssetRow a, AssetDetails d)
    {
        (a.Commodity, a.Quantity, a.QuantityUnit, a.Amount, a.Currency) = (d.Commodity, d.Quantity?.Value, d.Quantity?.Unit, d.Amount?.Value, d.Amount?.Currency);
        (a.DueDate, a.Title, a.MediaType, a.Description) = (d.DueDate, d.Title, d.MediaType, d.Description);
    }

    void ChangeOwner(AssetRow a, string owner, DateTimeOffset at, long position)
    {
        if (_openOwnership.Remove(a.AssetId, out var open)) (open.ToAt, open.ToPosition) = (at, position);
        else OwnershipClosed.Add(new OwnershipRow { AssetId = a.AssetId, ToAt = at, ToPosition = position });
        a.OwnerId = owner;
        OpenOwnership(a.AssetId, owner, at, position);
    }

    void OpenOwnership(Guid asset, string owner, DateTimeOffset at, long position)
    {
        var row = new OwnershipRow { AssetId = asset, OwnerId = owner, FromAt = at, FromPosition = position };
        Ownership.Add(row);
        _openOwnership[asset] = row;
    }

    void Freeze(AssetRow a, string id, FreezeAuthority authority, string reason, ParticipantId by, DateTimeOffset at, long position)
    {
        a.FreezeCount++;
        a.Frozen = true;
        Place(new EncumbranceRow { PlacedPosition = position, AssetId = a.AssetId, Kind = "Freeze", FreezeId = id, PlacedBy = by.Value, Authority = authority.ToString(), Reason = reason, PlacedAt = at });
    }

    void Unfreeze(AssetRow a, string id, ParticipantId by, DateTimeOffset at, long position, string how, string? reason)
    {
        a.FreezeCount--;
        a.Frozen = a.FreezeCount > 0;
        Lift(a.AssetId, "Freeze", id, by.Value, at, position, how, reason);
    }

    void Place(EncumbranceRow row)
    {
        Encumbrances.Add(row);
        _openEncumbrances[(row.AssetId, row.Kind, row.FreezeId)] = row;
    }

    void Lift(Guid asset, string kind, string? freezeId, string by, DateTimeOffset at, long position, string how, string? reason = null)
    {
        if (!_openEncumbrances.Remove((asset, kind, freezeId), out var row))
        {
            row = new EncumbranceRow { AssetId = asset, Kind = kind, FreezeId = freezeId };
            EncumbrancesLifted.Add(row);
        }
        (row.LiftedAt, row.LiftedBy, row.LiftedPosition, row.LiftedHow, row.LiftReason) = (at, by, position, how, reason);
    }
}
