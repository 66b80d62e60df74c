namespace AssetLedger.Domain.Tests.Properties;

/// <summary>The rules no sequence of commands may break (ARCHITECTURE.md, "The asset aggregate").</summary>
static class Invariants
{
    static readonly (AssetStatus From, AssetStatus To)[] StatusMoves =
    [
        (AssetStatus.None, AssetStatus.Pending), (AssetStatus.Pending, AssetStatus.Active), (AssetStatus.Pending, AssetStatus.Rejected),
        (AssetStatus.Active, AssetStatus.Pending), (AssetStatus.Active, AssetStatus.Cancelled),
        (AssetStatus.Active, AssetStatus.Released), (AssetStatus.Pending, AssetStatus.Expired), (AssetStatus.Active, AssetStatus.Split),
    ];

    public static void Check(Walk walk, AssetState before, IAssetCommand command, Decision<IAssetEvent> decision)
    {
        void Require(bool holds, string violation)
        {
            if (!holds) Assert.Fail(walk.Describe(violation));
        }

        var after = walk.StateOf(command.Asset);
        var events = decision.Events;

        // A decision is events or an error, never both, never neither; a refusal changes nothing.
        Require(decision.IsOk == events.Count > 0, "a decision must be some events or an error");
        Require(events.All(e => (e.Asset == command.Asset || e is AssetSplitOff) && e.At == command.At), "events must belong to the command's asset and time");
        SplitRules(walk, before, events, Require);

        // A Cancelled or Rejected asset accepts no command.
        Require(!before.IsClosed || !decision.IsOk, $"a {before.Status} asset accepted {command.GetType().Name}");

        // A locked asset (offer pending, Out, frozen) is never transferred, transferred out again, amended or cancelled.
        if (before.IsLocked)
            Require(!events.Any(e => e is AssetAmended or AssetCancelled or AssetTransferredOut),
                $"a locked asset ({Locks(before)}) was amended, cancelled or transferred out");
        foreach (var e in events)
        {
            if (e is AssetTransferred t)
                Require(before.PendingOffer?.To == t.To && t.From == before.Owner && !before.IsFrozen && !before.IsOut,
                    $"transferred to {t.To} while {Locks(before)}; only the offered party takes it, and only when not frozen or out");
            if (e is AssetReturned r)
                Require(before.Custody?.Venue == r.Venue && r.PreviousOwner == before.Owner && !before.IsFrozen,
                    $"returned by {r.Venue} while {Locks(before)}; only the venue holding it returns it, and never while frozen");
        }
        // Goods leave exactly: held − released = remaining ≥ 0, in the receipt's unit, and the state holds what the events
        // say (registered or amended, less every release); never while frozen or offered; while out, only with the venue.
        foreach (var g in events.OfType<AssetGoodsReleased>())
        {
            var held = decimal.Parse(before.Details.Quantity!.Value, System.Globalization.CultureInfo.InvariantCulture);
            var released = decimal.Parse(g.Released.Value, System.Globalization.CultureInfo.InvariantCulture);
            var remaining = decimal.Parse(g.Remaining.Value, System.Globalization.CultureInfo.InvariantCulture);
            Require(released > 0 && remaining >= 0 && held - released == remaining && g.Released.Unit == before.Details.Quantity.Unit && g.Remaining.Unit == g.Released.Unit,
                $"released {g.Released.Value} of {held} leaving {g.Remaining.Value}");
            Require(!before.IsFrozen && before.PendingOffer is null, $"goods released while {Locks(before)}");
            Require(before.Custody is null ? g.ConsentedBy is null : g.ConsentedBy == before.Custody.Venue && command.Actor.Id == before.Custody.Venue,
                $"goods released while out at {before.Custody?.Venue} without that venue (consented by {g.ConsentedBy}, acted {command.Actor.Id})");
        }
        if (after.Kind == AssetKind.WarehouseReceipt && after.Exists)
            Require(walk.Quantity == decimal.Parse(after.Details.Quantity!.Value, System.Globalization.CultureInfo.InvariantCulture),
                $"the receipt holds {after.Details.Quantity.Value} but its events say {walk.Quantity}");

        if (after.Owner != before.Owner && before.Exists)
            Require(events.Any(e => e is AssetTransferred or AssetReturned), "the owner changed without a transfer or a return");

        // Always exactly one owner: well formed, the one the ownership events lead to.
        if (after.Exists)
        {
            Require(ParticipantId.IsWellFormed(after.Owner.Value), $"the owner '{after.Owner}' is not one participant");
            Require(walk.ChainOwner == after.Owner, $"the state's owner {after.Owner} is not the end of the ownership chain ({walk.ChainOwner})");
        }

        // The state carries exactly the locks the events placed and did not lift: none dropped, none invented.
        Require(after.PendingOffer?.To == walk.Locks.OfferedTo && after.Custody?.Venue == walk.Locks.Venue && after.Freezes.Keys.SequenceEqual(walk.Locks.Freezes),
            $"the state's locks ({Locks(after)}) are not the ones its events placed");

        // Locks sit on Active assets only; an offer and a custody never coexist (no pledge of an offered asset).
        Require(!after.IsLocked || after.Status == AssetStatus.Active, $"a {after.Status} asset carries locks ({Locks(after)})");
        Require(after.PendingOffer is null || after.Custody is null, "an asset is both offered and out");

        // Status moves only along the lifecycle; Active means every required confirmation, each by a different party.
        Require(after.Status == before.Status || StatusMoves.Contains((before.Status, after.Status)), $"status moved {before.Status} -> {after.Status}");
        if (after.Status is AssetStatus.Active)
            Require(after.RequiredConfirmers.All(r => after.Confirmations.ContainsKey(r.Slot)), "Active without every confirmation");
        if (after.Status is AssetStatus.Pending)
            Require(!after.RequiredConfirmers.All(r => after.Confirmations.ContainsKey(r.Slot)), "Pending although every confirmation is in");
        Require(after.Confirmations.Values.Distinct().Count() == after.Confirmations.Count, "one party filled two confirmations");

        // Version = number of events; folding the events again gives the same state.
        Require(after.Version == walk.Events.Count, $"version {after.Version} after {walk.Events.Count} events");
        Require(AssetState.From(walk.Events).Equals(after), "folding the events again gave a different state");
    }

    /// <summary>
    /// A split conserves the goods (the parts sum exactly to the whole, and across every part the books balance: all the goods
    /// ever registered = what the live receipts hold + what was released), gives each part one new stream and one owner, and
    /// moves the custody lock to each part of the goods: never lost, never left on the closed parent too, never added.
    /// </summary>
    static void SplitRules(Walk walk, AssetState before, IReadOnlyList<IAssetEvent> events, Action<bool, string> require)
    {
        if (before.Kind == AssetKind.WarehouseReceipt && walk.Books.Total != walk.Live + walk.Books.Released)
            require(false, $"the books do not balance: {walk.Books.Total} registered, {walk.Live} held by live receipts, {walk.Books.Released} released");
        if (events.OfType<AssetSplit>().SingleOrDefault() is not { } split) return;
        var offs = events.OfType<AssetSplitOff>().ToList();
        var sum = split.Parts.Sum(p => decimal.Parse(p.Quantity.Value, System.Globalization.CultureInfo.InvariantCulture));
        require(sum == decimal.Parse(before.Details.Quantity!.Value, System.Globalization.CultureInfo.InvariantCulture) && split.Parts.All(p => p.Quantity.Unit == before.Details.Quantity.Unit),
            $"parts of {sum} split from {before.Details.Quantity.Value}");
        require(offs.Select(o => o.Asset).SequenceEqual(split.Parts.Select(p => p.Asset)) && offs.Select(o => o.Asset).Distinct().Count() == offs.Count,
            "the split-off streams are not exactly the split's parts");
        require(offs.All(o => walk.EventsOf(o.Asset).Count == 1 && o.Parent == before.Id), "a part's stream existed before the split: a part owned twice");
        require(!before.IsFrozen && before.PendingOffer is null, $"split while {Locks(before)}");
        foreach (var o in offs)
        {
            var part = walk.StateOf(o.Asset);
            require(part.Owner == before.Owner && part.Custody == before.Custody && !part.IsFrozen && part.PendingOffer is null && part.Status == AssetStatus.Active,
                $"part {o.Asset} is {part.Status}, owned by {part.Owner}, {Locks(part)}; the receipt was owned by {before.Owner}, {Locks(before)}");
        }
        var parent = walk.StateOf(split.Asset);
        require(parent.IsClosed && !parent.IsLocked, $"the split receipt is {parent.Status} and {Locks(parent)}");
    }

    static string Locks(AssetState s) =>
        s.IsLocked ? string.Join(" and ", new[] { s.PendingOffer is null ? null : "offered", s.IsOut ? "out" : null, s.IsFrozen ? "frozen" : null }.OfType<string>()) : "unlocked";
}
