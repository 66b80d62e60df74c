using System.Collections.Immutable;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;

namespace AssetLedger.Application.Assets;

/// <summary>
/// Who may see an asset, deny by default: the one rule behind GET /assets/{id}, its history and evidence, the command
/// handler's 404s, and the asset list (whose read model stores each asset's <see cref="Audience"/>). Regulators and the
/// operator see everything; anyone else sees an asset only while it concerns them: they own it, are offered it, hold it
/// as venue, are its named warehouse or debtor, have confirmed it in the current round, or hold a role that may still
/// confirm it. Others get 404, so asset ids do not leak.
/// </summary>
public static class AssetAccess
{
    /// <summary>Sees every asset, whatever its audience.</summary>
    public static bool SeesAll(Actor actor) => actor.Has(Role.Regulator) || actor.Has(Role.Operator) || actor.Has(Role.System);

    public static bool CanRead(Actor actor, AssetState s) =>
        s.Exists && (SeesAll(actor) || Audience(s).Admits(actor));

    /// <summary>Who, besides those who see all, may see the asset in this state.</summary>
    public static AssetAudience Audience(AssetState s)
    {
        if (!s.Exists) return AssetAudience.Nobody;
        var participants = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        participants.Add(s.Owner.Value);
        if (s.PendingOffer is { } offer) participants.Add(offer.To.Value);
        if (s.Custody is { } custody) participants.Add(custody.Venue.Value);
        if (s.Details.Warehouse is { } warehouse) participants.Add(warehouse.Value);
        if (s.Details.Debtor is { } debtor) participants.Add(debtor.Value);
        participants.UnionWith(s.Confirmations.Values.Select(p => p.Value));
        var roles = ImmutableSortedSet.CreateBuilder<Role>();
        if (s.Status == AssetStatus.Pending)
            foreach (var open in s.RequiredConfirmers.Where(r => !s.Confirmations.ContainsKey(r.Slot)))
                if (open.Named is { } named) participants.Add(named.Value);
                else roles.Add(open.Role);
        return new AssetAudience(participants.ToImmutable(), roles.ToImmutable());
    }

    /// <summary>
    /// Who sees a public registry notice in full (owner identity, quantity, amount, freeze reasons, an offer's assignee).
    /// A different rule from <see cref="CanRead"/> on purpose: a notice answers anyone, and discloses the parties'
    /// business only to the asset's parties — its owner, whoever confirmed or rejected it in any round or is named to
    /// confirm it, the venue holding it — and to regulators. The operator runs the platform but is no party to the
    /// asset, and neither is a buyer merely offered it nor a trading center that could still confirm it.
    /// </summary>
    /// <param name="confirmers">Everyone who confirmed or rejected the asset, in any round.</param>
    public static bool SeesNoticeInFull(Actor caller, string ownerId, string? venueId, string? warehouseId, string? debtorId, IReadOnlySet<string> confirmers)
    {
        var me = caller.Id.Value;
        return caller.Has(Role.Regulator) || me == ownerId || me == venueId || me == warehouseId || me == debtorId || confirmers.Contains(me);
    }

    public static DomainError NotFound(AssetId id) => new("asset.not_found", $"Asset {id} does not exist.", ErrorKind.NotFound);
}

/// <summary>
/// The participants who may see an asset, and the roles any holder of which may: what the asset read model stores as
/// visible_to and visible_to_roles, so that listing asks one indexed question. Both in ordinal order.
/// </summary>
public sealed record AssetAudience(ImmutableSortedSet<string> Participants, ImmutableSortedSet<Role> Roles)
{
    public static readonly AssetAudience Nobody = new([], []);

    public bool Admits(Actor actor) => Participants.Contains(actor.Id.Value) || Roles.Any(actor.Has);

    public string[] RoleNames => Roles.Select(r => r.ToString()).Order(StringComparer.Ordinal).ToArray();
}
