using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Assets;

/// <summary>What a person can do to an asset from a page (the console offers a button for each, and only those).</summary>
public enum AssetAction { Confirm, Offer, Accept, Decline, Withdraw, Pledge, OutForTrade, Return, Freeze, Unfreeze, Cancel, ClearAlarm }

/// <summary>
/// Which actions the rules allow this actor on this asset now, asked of the decider itself (it is pure): each action is
/// decided with well-formed stand-in values (a reason, a counterparty that is no party to the asset, an eligible venue),
/// and offered when the decision is not a refusal. So a button is never shown that the command would refuse for who
/// the actor is or what state the asset is in, and no second copy of the rules exists to drift from the first.
/// </summary>
public static class AssetActions
{
    // Stand-ins that pass every input check: a participant id no party holds, a text of one word.
    static readonly ParticipantId Someone = new("console-probe");
    const string Words = "probe";

    public static IReadOnlyList<AssetAction> Allowed(Actor actor, AssetState s, DateTimeOffset now)
    {
        if (!s.Exists || s.IsClosed) return [];
        var a = s.Id;
        var allowed = new List<AssetAction>();
        void Probe(AssetAction action, IAssetCommand command)
        {
            if (AssetDecider.Decide(s, command).IsOk) allowed.Add(action);
        }
        Probe(AssetAction.Confirm, new ConfirmAsset(a, true, null, actor, now));
        Probe(AssetAction.Offer, new OfferTransfer(a, Someone, actor, now));
        Probe(AssetAction.Accept, new AcceptTransfer(a, actor, now));
        Probe(AssetAction.Decline, new DeclineTransfer(a, actor, now));
        Probe(AssetAction.Withdraw, new WithdrawTransfer(a, actor, now));
        Probe(AssetAction.Pledge, new TransferOut(a, Someone, new HashSet<Role> { Role.FinancialInstitution }, VenuePurpose.Financing, actor, now));
        Probe(AssetAction.OutForTrade, new TransferOut(a, Someone, new HashSet<Role> { Role.TradingCenter }, VenuePurpose.Trade, actor, now));
        Probe(AssetAction.Return, new ReturnAsset(a, null, actor, now));
        Probe(AssetAction.Freeze, new FreezeAsset(a, $"probe-{Guid.NewGuid():N}", FreezeAuthority.Regulatory, Words, actor, now));
        if (s.Freezes.Keys.Any(id => AssetDecider.Decide(s, new UnfreezeAsset(a, id, null, actor, now)).IsOk)) allowed.Add(AssetAction.Unfreeze);
        Probe(AssetAction.Cancel, new CancelAsset(a, Words, actor, now));
        if (ClearableAlarms(actor, s, now).Count > 0) allowed.Add(AssetAction.ClearAlarm);
        return allowed;
    }

    /// <summary>The open IoT alarms this actor's clearance would be taken for now (alone, or as one of the two it needs).</summary>
    public static IReadOnlyList<string> ClearableAlarms(Actor actor, AssetState s, DateTimeOffset now) =>
        s.Alarms.Keys.Where(id => AssetDecider.Decide(s, new ClearIotAlarm(s.Id, id, Words, actor, now)).IsOk).ToList();
}
