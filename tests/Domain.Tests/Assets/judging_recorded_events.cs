using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using static AssetLedger.Domain.Tests.Support.Actors;
using static AssetLedger.Domain.Tests.Support.AssetSpec;

namespace AssetLedger.Domain.Tests.Assets;

/// <summary>Rule-checked replay: an event is admissible only if re-deciding the command it implies gives exactly it.</summary>
public sealed class judging_recorded_events
{
    static readonly Func<ParticipantId, IReadOnlySet<Role>?> RolesOf = id => All.FirstOrDefault(a => a.Id == id)?.Roles;

    [Fact]
    public void every_event_of_an_honest_history_is_admissible()
    {
        (IAssetEvent Event, Actor By)[] history =
        [
            (Registered(), Owner), (Confirmed(Warehouse, "warehouse"), Warehouse), (Confirmed(TradingCenter, "trading-center"), TradingCenter),
            (Attached(), Owner), (Offered(), Owner), (Transferred(), Buyer), (TransferredOut(by: Buyer), Buyer),
        ];
        var state = AssetState.Initial;
        foreach (var (e, by) in history)
        {
            Assert.Null(Admissibility.Check(state, e, by, RolesOf));
            state = AssetState.Evolve(state, e);
        }
        Assert.Null(Admissibility.Check(state, new AssetReturned(Asset, Bank.Id, Buyer.Id, Owner.Id, Now), Bank, RolesOf));
    }

    [Fact]
    public void a_transfer_taken_with_no_offer_is_refused_by_the_rules()
    {
        var state = Given(Active());

        var error = Admissibility.Check(state, Transferred(to: TradingCenter), TradingCenter, RolesOf);

        Assert.Equal("asset.no_pending_offer", error?.Code);
    }

    [Fact]
    public void a_transfer_to_someone_other_than_the_offered_buyer_is_refused()
    {
        var state = Given([.. Active(), Offered(to: Buyer)]);

        Assert.Equal("asset.not_assignee", Admissibility.Check(state, Transferred(to: TradingCenter), TradingCenter, RolesOf)?.Code);
    }

    [Fact]
    public void an_event_whose_data_differs_from_the_decision_is_inadmissible()
    {
        var state = Given([.. Active(), Offered(to: Buyer)]);
        // The buyer accepts, but the event says the asset went to the trading center.
        var error = Admissibility.Check(state, Transferred(to: TradingCenter), Buyer, RolesOf);
        Assert.Equal("event.inadmissible", error?.Code);
        // A registration that names one actor but was filed by another.
        Assert.Equal("event.inadmissible", Admissibility.Check(AssetState.Initial, Registered(by: Warehouse), Owner, RolesOf)?.Code);
    }

    [Fact]
    public void a_release_by_the_warehouse_is_admissible_and_the_same_release_by_the_owner_is_not()
    {
        var state = Given(Active());
        var released = new AssetGoodsReleased(Asset, "DO-1", new Quantity("200", "t"), new Quantity("1000.5", "t"), Warehouse.Id, null, Now);

        Assert.Null(Admissibility.Check(state, released, Warehouse, RolesOf));
        Assert.Equal("asset.not_permitted", Admissibility.Check(state, released with { By = Owner.Id }, Owner, RolesOf)?.Code);
    }

    [Fact]
    public void a_confirmation_by_a_party_without_the_role_is_refused()
    {
        var state = Given(Registered(), Confirmed(Warehouse, "warehouse"));

        Assert.NotNull(Admissibility.Check(state, Confirmed(Bank, "trading-center"), Bank, RolesOf));
    }
}
