using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Assets;

/// <summary>
/// Who may see an asset, deny by default. Regulators and the operator see everything; anyone else sees an asset
/// only while it concerns them: they own it, are offered it, hold it as venue, are its named warehouse or debtor,
/// have confirmed it, or hold a role that may still confirm it. Others get 404, so asset ids do not leak.
/// </summary>
public static class AssetAccess
{
    public static bool CanRead(Actor actor, AssetState s)
    {
        if (!s.Exists) return false;
        if (actor.Has(Role.Regulator) || actor.Has(Role.Operator) || actor.Has(Role.System)) return true;
        var me = actor.Id;
        if (s.Owner == me || s.PendingOffer?.To == me || s.Custody?.Venue == me) return true;
        if (s.Details.Warehouse == me || s.Details.Debtor == me) return true;
        if (s.Confirmations.Values.Contains(me)) return true;
        return s.Status == AssetStatus.Pending && s.RequiredConfirmers.Any(r => !s.Confirmations.ContainsKey(r.Slot) && r.Admits(actor));
    }

    public static DomainError NotFound(AssetId id) => new("asset.not_found", $"Asset {id} does not exist.", ErrorKind.NotFound);
}
