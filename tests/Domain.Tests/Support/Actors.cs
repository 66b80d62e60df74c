using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Tests.Support;

/// <summary>The cast of the domain tests: one participant per role of ARCHITECTURE.md, plus a few who should be refused.</summary>
public static class Actors
{
    public static readonly Actor Owner = Actor.Of("owner-1", Role.Owner);
    public static readonly Actor Buyer = Actor.Of("buyer-1", Role.Owner);
    public static readonly Actor Warehouse = Actor.Of("wh-1", Role.Warehouse);
    public static readonly Actor OtherWarehouse = Actor.Of("wh-2", Role.Warehouse);
    public static readonly Actor TradingCenter = Actor.Of("tc-1", Role.TradingCenter);
    public static readonly Actor OtherTradingCenter = Actor.Of("tc-2", Role.TradingCenter);
    public static readonly Actor Bank = Actor.Of("bank-1", Role.FinancialInstitution);
    public static readonly Actor Regulator = Actor.Of("reg-1", Role.Regulator);
    public static readonly Actor Debtor = Actor.Of("debtor-1", Role.Debtor);
    public static readonly Actor OtherDebtor = Actor.Of("debtor-2", Role.Debtor);
    public static readonly Actor Logistics = Actor.Of("logi-1", Role.Logistics);
    /// <summary>The registry itself: IoT-alarm freezes and device evidence. Not named System, which would shadow the namespace.</summary>
    public static readonly Actor Device = Actor.SystemActor;

    public static readonly IReadOnlyList<Actor> All =
        [Owner, Buyer, Warehouse, OtherWarehouse, TradingCenter, OtherTradingCenter, Bank, Regulator, Debtor, OtherDebtor, Logistics, Device];
}
