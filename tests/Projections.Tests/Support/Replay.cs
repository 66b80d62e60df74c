using System.Text.Json;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Projections.Tests.Support;

/// <summary>
/// What the read models must hold, computed from the log by the Domain's own folds and nothing of the
/// projection's: assets from AssetState, ownership and encumbrances from how the state changes between
/// events, actors from the events' metadata, who may see each asset from AssetAccess applied to that state.
/// </summary>
public static class Replay
{
    sealed class Asset
    {
        public AssetState State = AssetState.Initial;
        public long RegisteredPosition, LastPosition;
        public DateTimeOffset RegisteredAt;
        public int Round = 1;
        public Dictionary<string, object?>? OpenOwnership;
        public Dictionary<string, object?>? OpenOffer, OpenCustody;
        public readonly Dictionary<string, Dictionary<string, object?>> OpenFreezes = [];
    }

    public static async Task<Dictionary<string, List<string>>> Expected(IEventStore store)
    {
        var assets = new Dictionary<Guid, Asset>();
        var participants = new Dictionary<string, (ParticipantState State, DateTimeOffset At, long Position)>();
        var history = new List<Dictionary<string, object?>>();
        var ownership = new List<Dictionary<string, object?>>();
        var confirmations = new List<Dictionary<string, object?>>();
        var encumbrances = new List<Dictionary<string, object?>>();

        await foreach (var stored in All(store))
        {
            if (!EventSerializer.Instance.Knows(stored.Type)) continue;
            var actor = EventMetadata.FromJson(stored.Metadata).Participant;
            var pos = stored.Position;
            switch (EventSerializer.Instance.Deserialize(stored.Type, stored.Data))
            {
                case ParticipantRegistered p:
                    var before = participants.TryGetValue(p.Participant.Value, out var known) ? known.State : ParticipantState.Initial;
                    participants[p.Participant.Value] = (ParticipantState.Evolve(before, p), p.At, pos);
                    break;
                case IAssetEvent e:
                    var a = assets.TryGetValue(e.Asset.Value, out var found) ? found : assets[e.Asset.Value] = new Asset();
                    var prev = a.State;
                    var s = a.State = AssetState.Evolve(prev, e);
                    a.LastPosition = pos;
                    if (e is AssetRegistered) (a.RegisteredPosition, a.RegisteredAt) = (pos, e.At);
                    if (e is AssetAmended { Material: true }) a.Round++;
                    history.Add(new()
                    {
                        ["position"] = pos, ["asset_id"] = e.Asset.Value, ["version"] = stored.Version, ["event_id"] = stored.EventId,
                        ["event_type"] = stored.Type, ["actor_id"] = actor, ["at"] = e.At, ["recorded_at"] = stored.RecordedAt,
                        ["hash"] = stored.Hash, ["previous_hash"] = stored.PreviousHash, ["data"] = Jcs.Canonicalize(stored.Data),
                    });
                    if (s.Owner != prev.Owner)
                    {
                        if (a.OpenOwnership is { } closing) (closing["to_at"], closing["to_position"]) = (e.At, pos);
                        ownership.Add(a.OpenOwnership = new()
                        {
                            ["asset_id"] = e.Asset.Value, ["owner_id"] = s.Owner.Value, ["from_at"] = e.At, ["from_position"] = pos,
                            ["to_at"] = null, ["to_position"] = null,
                        });
                    }
                    void Confirmation(string slot, ParticipantId by, string? comment, string decision) => confirmations.Add(new()
                    {
                        ["asset_id"] = e.Asset.Value, ["round"] = a.Round, ["slot"] = slot, ["participant_id"] = by.Value,
                        ["decision"] = decision, ["comment"] = comment, ["at"] = e.At, ["position"] = pos,
                    });
                    if (e is AssetConfirmed c) Confirmation(c.Slot, c.By, c.Comment, "Approved");
                    if (e is AssetRejected j) Confirmation(j.Slot, j.By, j.Comment, "Rejected");
                    Encumbrances(a, prev, s, e, actor, pos, encumbrances);
                    break;
            }
        }

        return new Dictionary<string, List<string>>
        {
            ["assets"] = assets.Select(kv => AssetRow(kv.Key, kv.Value)).Select(Tables.Row).ToList(),
            ["asset_history"] = history.Select(Tables.Row).ToList(),
            ["ownership"] = ownership.Select(Tables.Row).ToList(),
            ["confirmations"] = confirmations.Select(Tables.Row).ToList(),
            ["encumbrances"] = encumbrances.Select(Tables.Row).ToList(),
            ["participants"] = participants.Select(kv => Tables.Row(new Dictionary<string, object?>
            {
                ["participant_id"] = kv.Key, ["name"] = kv.Value.State.Name, ["roles"] = kv.Value.State.Roles.Select(r => r.ToString()).ToArray(),
                ["registered_at"] = kv.Value.At, ["registered_position"] = kv.Value.Position, ["version"] = kv.Value.State.Version,
                ["status"] = kv.Value.State.Status.ToString(), ["suspended"] = kv.Value.State.Suspended,
                ["credit_code"] = kv.Value.State.CreditCode, ["signing_key_id"] = kv.Value.State.SigningKeyId,
                ["changed_position"] = kv.Value.Position, // the only participant event replayed here is its registration
            })).ToList(),
        };
    }

    static void Encumbrances(Asset a, AssetState prev, AssetState s, IAssetEvent e, string? actor, long pos, List<Dictionary<string, object?>> rows)
    {
        Dictionary<string, object?> Place(string kind, string? freezeId, string? by, string? counterparty, string? authority, string? purpose, string? reason)
        {
            var row = new Dictionary<string, object?>
            {
                ["placed_position"] = pos, ["asset_id"] = s.Id.Value, ["kind"] = kind, ["freeze_id"] = freezeId, ["placed_by"] = by,
                ["counterparty_id"] = counterparty, ["authority"] = authority, ["purpose"] = purpose, ["reason"] = reason, ["placed_at"] = e.At,
                ["lifted_at"] = null, ["lifted_by"] = null, ["lifted_position"] = null, ["lifted_how"] = null, ["lift_reason"] = null,
            };
            rows.Add(row);
            return row;
        }
        void Lift(Dictionary<string, object?>? row, string how, string? reason = null)
        {
            Assert.NotNull(row);
            (row["lifted_at"], row["lifted_by"], row["lifted_position"], row["lifted_how"], row["lift_reason"]) = (e.At, actor, pos, how, reason);
        }

        if (prev.PendingOffer is null && s.PendingOffer is { } offer) a.OpenOffer = Place("Offer", null, actor, offer.To.Value, null, null, null);
        if (prev.PendingOffer is not null && s.PendingOffer is null)
            Lift(a.OpenOffer, e switch { AssetTransferred => "Accepted", AssetTransferDeclined => "Declined", _ => "Withdrawn" });
        if (prev.Custody is null && s.Custody is { } custody) a.OpenCustody = Place("Custody", null, actor, custody.Venue.Value, null, custody.Purpose.ToString(), null);
        if (prev.Custody is not null && s.Custody is null) Lift(a.OpenCustody, "Returned");
        foreach (var (id, freeze) in s.Freezes.Where(f => !prev.Freezes.ContainsKey(f.Key)))
            a.OpenFreezes[id] = Place("Freeze", id, freeze.By.Value, null, freeze.Authority.ToString(), null, freeze.Reason);
        foreach (var id in prev.Freezes.Keys.Where(k => !s.Freezes.ContainsKey(k)))
            Lift(a.OpenFreezes.Remove(id, out var open) ? open : null, "Unfrozen", ((AssetUnfrozen)e).Reason);
    }

    static Dictionary<string, object?> AssetRow(Guid id, Asset a)
    {
        var s = a.State;
        var d = s.Details;
        return new()
        {
            ["asset_id"] = id, ["kind"] = s.Kind.ToString(), ["status"] = s.Status.ToString(), ["owner_id"] = s.Owner.Value, ["natural_key"] = s.Key,
            ["warehouse_id"] = d.Warehouse?.Value, ["receipt_number"] = d.ReceiptNumber, ["commodity"] = d.Commodity,
            ["quantity"] = d.Quantity?.Value, ["quantity_unit"] = d.Quantity?.Unit, ["debtor_id"] = d.Debtor?.Value, ["bill_number"] = d.BillNumber,
            ["amount"] = d.Amount?.Value, ["currency"] = d.Amount?.Currency, ["due_date"] = d.DueDate, ["title"] = d.Title,
            ["content_sha256"] = d.ContentSha256, ["media_type"] = d.MediaType, ["description"] = d.Description,
            ["frozen"] = s.IsFrozen, ["freeze_count"] = s.Freezes.Count, ["out"] = s.IsOut, ["venue_id"] = s.Custody?.Venue.Value,
            ["venue_purpose"] = s.Custody?.Purpose.ToString(), ["offered"] = s.PendingOffer is not null, ["offered_to"] = s.PendingOffer?.To.Value,
            ["confirmations_required"] = s.RequiredConfirmers.Length, ["confirmations_given"] = s.Confirmations.Count,
            ["confirmation_round"] = a.Round, ["evidence_count"] = s.EvidenceCount, ["version"] = s.Version,
            ["registered_at"] = a.RegisteredAt, ["registered_position"] = a.RegisteredPosition, ["last_changed_at"] = s.LastChangedAt,
            ["last_position"] = a.LastPosition,
            ["pending_since"] = s.Status == AssetStatus.Pending ? s.PendingSince : null,
            ["required_confirmers"] = Jcs.Canonicalize(JsonSerializer.Serialize(s.RequiredConfirmers.Select(r => new { slot = r.Slot, role = r.Role.ToString(), named = r.Named?.Value }))),
            ["confirmed_by"] = Jcs.Canonicalize(JsonSerializer.Serialize(s.Confirmations.ToDictionary(c => c.Key, c => c.Value.Value))),
            ["visible_to"] = AssetAccess.Audience(s).Participants.ToArray(),
            ["visible_to_roles"] = AssetAccess.Audience(s).RoleNames,
            ["parent_id"] = s.Parent?.Value,
            ["split_into"] = s.SplitInto.Length == 0 ? null : s.SplitInto.Select(p => p.Value).ToArray(),
        };
    }

    public static async IAsyncEnumerable<StoredEvent> All(IEventStore store)
    {
        var after = 0L;
        while (true)
        {
            var page = await store.ReadAll(after, 1000, default);
            foreach (var e in page) yield return e;
            if (page.Count < 1000) yield break;
            after = page[^1].Position;
        }
    }
}
