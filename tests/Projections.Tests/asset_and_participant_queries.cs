using AssetLedger.Domain.Participants;
using System.Text.Json;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Projections.Assets;
using AssetLedger.Projections.Participants;
using AssetLedger.Projections.Tests.Support;

namespace AssetLedger.Projections.Tests;

/// <summary>One receipt's life, read back through every query the Api calls.</summary>
public sealed class asset_and_participant_queries(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    static readonly Actor Owner = Actor.Of("owner-0", Role.Owner);
    static readonly Actor Buyer = Actor.Of("owner-1", Role.Owner);
    static readonly Actor Warehouse = Actor.Of("wh-0", Role.Warehouse);
    static readonly Actor Center = Actor.Of("tc-0", Role.TradingCenter);
    static readonly Actor Bank = Actor.Of("bank-0", Role.FinancialInstitution);
    static readonly Actor Court = Actor.Of("reg-0", Role.Regulator);

    [Fact]
    public async Task a_receipt_that_was_confirmed_sold_pledged_frozen_and_returned_reads_back_in_every_view()
    {
        await using var store = new PostgresEventStore(db.DataSource);
        var handler = new AssetCommandHandler(store, ConfirmationPolicy.Default);
        var id = AssetId.New();
        var t = T0;
        async Task Do(Func<DateTimeOffset, IAssetCommand> command)
        {
            t = t.AddHours(1);
            var outcome = await handler.Handle(new ExecuteAssetCommand(command(t), new CommandContext()), default);
            Assert.True(outcome.Ok, outcome.Error?.ToString());
        }
        await Do(at => new RegisterAsset(id, AssetKind.WarehouseReceipt, Owner.Id, new AssetDetails
            { Warehouse = Warehouse.Id, ReceiptNumber = "WR-1", Commodity = "crude oil", Quantity = new Quantity("1200.5", "bbl") }, Owner, at));
        await Do(at => new ConfirmAsset(id, true, "tank 7 checked", Warehouse, at));
        await Do(at => new ConfirmAsset(id, true, null, Center, at));
        await Do(at => new OfferTransfer(id, Buyer.Id, Owner, at));
        await Do(at => new AcceptTransfer(id, Buyer, at));
        await Do(at => new TransferOut(id, Bank.Id, new HashSet<Role> { Role.FinancialInstitution }, VenuePurpose.Financing, Buyer, at));
        await Do(at => new FreezeAsset(id, "case-1", FreezeAuthority.Judicial, "dispute", Court, at));
        await Do(at => new UnfreezeAsset(id, "case-1", "settled", Court, at));
        await Do(at => new FreezeAsset(id, "case-2", FreezeAuthority.Regulatory, "audit", Court, at));
        await Cast.RegisterAll(store, [Owner, Buyer, Warehouse]);
        await new ProjectionRunner(db.DataSource, store).CatchUp(default);
        var q = new AssetQueries(db.DataSource);

        var asset = await q.Find(id, default);
        Assert.NotNull(asset);
        Assert.Equal((id.ToString(), AssetStatus.Active, "owner-1", "1200.5", "bbl"), (asset.Id, asset.Status, asset.OwnerId, asset.Quantity, asset.QuantityUnit));
        Assert.Equal((true, 1, true, "bank-0", (VenuePurpose?)VenuePurpose.Financing, false), (asset.Frozen, asset.FreezeCount, asset.Out, asset.VenueId, asset.VenuePurpose, asset.Offered));
        Assert.Equal((9L, T0.AddHours(1), T0.AddHours(9)), (asset.Version, asset.RegisteredAt, asset.LastChangedAt));

        var history = await q.History(id, default);
        Assert.Equal(Enumerable.Range(1, 9).Select(v => (long)v), history.Select(h => h.Version));
        Assert.Equal(["owner-0", "wh-0", "tc-0", "owner-0", "owner-1", "owner-1", "reg-0", "reg-0", "reg-0"], history.Select(h => h.ActorId));
        Assert.Equal("asset-transferred", history[4].Type);
        Assert.Equal(history[3].Hash, history[4].PreviousHash);
        Assert.Equal("owner-1", history[4].Data.GetProperty("to").GetString());

        var owners = await q.Ownership(id, default);
        Assert.Equal([("owner-0", T0.AddHours(1), (DateTimeOffset?)T0.AddHours(5)), ("owner-1", T0.AddHours(5), null)], owners.Select(o => (o.OwnerId, o.From, o.To)));

        var confirmations = await q.Confirmations(id, default);
        Assert.Equal([("warehouse", "wh-0", ConfirmationDecision.Approved, "tank 7 checked"), ("trading-center", "tc-0", ConfirmationDecision.Approved, null)],
            confirmations.Select(c => (c.Slot, c.ParticipantId, c.Decision, c.Comment)));

        var locks = await q.Encumbrances(id, openOnly: false, default);
        Assert.Equal([EncumbranceKind.Offer, EncumbranceKind.Custody, EncumbranceKind.Freeze, EncumbranceKind.Freeze], locks.Select(l => l.Kind));
        Assert.Equal(("owner-1", "Accepted"), (locks[0].LiftedBy, locks[0].LiftedHow));
        Assert.Equal(("case-1", (FreezeAuthority?)FreezeAuthority.Judicial, "Unfrozen", "settled"), (locks[2].FreezeId, locks[2].Authority, locks[2].LiftedHow, locks[2].LiftReason));
        Assert.Equal(["Custody", "Freeze"], (await q.Encumbrances(id, openOnly: true, default)).Select(l => l.Kind.ToString()));

        var participants = new ParticipantQueries(db.DataSource);
        Assert.Equal(["Warehouse"], (await participants.Find(Warehouse.Id, default))!.Roles);
        Assert.Null(await participants.Find(new ParticipantId("nobody"), default));
        var first = await participants.List(null, null, 2, default);
        var second = await participants.List(null, first.NextCursor, 2, default);
        Assert.Equal(["owner-0", "owner-1", "wh-0"], first.Items.Concat(second.Items).Select(p => p.Id));
        Assert.Null(second.NextCursor);
        // By status: in the order they came, paged by their own cursor, which no other status's list takes.
        var verified = await participants.List(ParticipantStatus.Verified, null, 2, default);
        Assert.Equal(2, verified.Items.Count);
        Assert.All(verified.Items, p => Assert.Equal("Verified", p.Status));
        Assert.Single((await participants.List(ParticipantStatus.Verified, verified.NextCursor, 2, default)).Items);
        Assert.Empty((await participants.List(ParticipantStatus.Applied, null, 2, default)).Items);
        await Assert.ThrowsAsync<InvalidCursorException>(() => participants.List(ParticipantStatus.Applied, verified.NextCursor, 2, default));
    }

    [Fact]
    public void views_serialise_enums_as_their_names_and_decimals_as_strings()
    {
        var view = new AssetView
        {
            Id = "x", OwnerId = "o", NaturalKey = "k", Kind = AssetKind.Receivable, Status = AssetStatus.Active, Amount = "100.00",
            VenuePurpose = VenuePurpose.Trade, RegisteredAt = T0,
        };

        var json = JsonSerializer.Serialize(view, JsonSerializerOptions.Web);

        Assert.Contains("\"kind\":\"Receivable\"", json);
        Assert.Contains("\"status\":\"Active\"", json);
        Assert.Contains("\"venuePurpose\":\"Trade\"", json);
        Assert.Contains("\"amount\":\"100.00\"", json);
        Assert.Contains("\"registeredAt\":\"2026-11-25T08:00:00+00:00\"", json);
    }

    [Fact]
    public async Task an_unknown_asset_has_no_view_and_an_empty_history()
    {
        var q = new AssetQueries(db.DataSource);
        var id = AssetId.New();

        Assert.Null(await q.Find(id, default));
        Assert.Empty(await q.History(id, default));
        Assert.Empty(await q.Ownership(id, default));
    }
}
