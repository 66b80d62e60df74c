using AssetLedger.Domain.Common;
using AssetLedger.Domain.Assets;
using static AssetLedger.Domain.Tests.Support.Actors;
using static AssetLedger.Domain.Tests.Support.AssetSpec;

namespace AssetLedger.Domain.Tests.Support;

/// <summary>One plausible instance of every asset command, each by the actor who would normally be allowed, for "accepts no command" tests.</summary>
public static class EveryCommand
{
    static readonly Dictionary<string, Func<IAssetCommand>> All = new()
    {
        ["register"] = () => Register(),
        ["confirm"] = () => Confirm(TradingCenter),
        ["reject"] = () => Reject(TradingCenter),
        ["amend"] = () => Amend(new AssetDetails { Description = "tank 7" }),
        ["offer"] = () => Offer(),
        ["accept"] = () => Accept(),
        ["decline"] = () => Decline(),
        ["withdraw"] = () => Withdraw(),
        ["transfer-out"] = () => SendOut(),
        ["return"] = () => Return(),
        ["freeze"] = () => PlaceFreeze(id: "freeze-9"),
        ["unfreeze"] = () => LiftFreeze(),
        ["cancel"] = () => Cancel(),
        ["attach-evidence"] = () => Attach(),
        ["split"] = () => new SplitAsset(Asset, [new(AssetId.New(), "1000"), new(AssetId.New(), "200.5")], Owner, Now),
    };

    public static TheoryData<string> Names => [.. All.Keys];

    public static IAssetCommand ByName(string name) => All[name]();
}
