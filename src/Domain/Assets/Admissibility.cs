using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Assets;

/// <summary>
/// Whether a recorded event was one the rules allowed in the state before it: the command the event implies is decided
/// again by <see cref="AssetDecider"/> (who may, in which status, with which locks, with the actor's roles at the time),
/// and the decision must be exactly the recorded event. A replay that only folds would take any well-hashed event;
/// this is what lets a verifier refuse one the registry could never have decided.
/// </summary>
public static class Admissibility
{
    /// <summary>
    /// Null when <paramref name="recorded"/> is the decision of its implied command in <paramref name="before"/>, else why not.
    /// <paramref name="rolesOf"/> gives a participant's roles at the time (for a venue), or null when they are not known.
    /// </summary>
    public static DomainError? Check(AssetState before, IAssetEvent recorded, Actor actor, Func<ParticipantId, IReadOnlySet<Role>?> rolesOf)
    {
        if (recorded.Asset != before.Id && before.Exists) return Inadmissible($"the event names asset {recorded.Asset}, its stream holds {before.Id}");
        // A part's first event is the decision of its parent's split, judged with the parent's AssetSplit in the parent's
        // stream (SplitOffs, with the parent's state); within its own stream it can only be checked to open it.
        if (recorded is AssetSplitOff) return before.Exists ? Inadmissible("a split-off event opens a new part's stream") : null;
        var command = ImpliedCommand(before, recorded, actor, rolesOf);
        // The confirmation window is the operator's configuration, not in the log: an expiry is judged with the window it
        // recorded (deadline − pending since), and must still name the right start, the missing slots, and come from the timer.
        var policy = recorded is AssetExpired x
            ? new ConfirmationPolicy(new Dictionary<AssetKind, TimeSpan> { [before.Kind] = x.Deadline - x.PendingSince })
            : ConfirmationPolicy.Default;
        var decision = AssetDecider.Decide(before, command, policy);
        if (decision.Error is { } refused)
            return new DomainError(refused.Code, $"the rules refuse it: {refused.Message}", refused.Kind, refused.Field);
        // A split decides one event for each stream it writes: the one for this stream is judged here.
        if (decision.Events.Where(e => e.Asset == recorded.Asset).ToList() is not [var decided] || !Same(decided, recorded))
            return Inadmissible($"the rules decide {string.Join(", ", decision.Events.Select(e => e.GetType().Name))} with other data for this command, not the recorded event");
        return null;
    }

    /// <summary>The command whose decision the event claims to be, as its actor would have sent it.</summary>
    public static IAssetCommand ImpliedCommand(AssetState before, IAssetEvent e, Actor actor, Func<ParticipantId, IReadOnlySet<Role>?> rolesOf) => e switch
    {
        AssetRegistered r => new RegisterAsset(r.Asset, r.Kind, r.Owner, r.Details, actor, r.At),
        AssetConfirmed c => new ConfirmAsset(c.Asset, true, c.Comment, actor, c.At),
        AssetRejected c => new ConfirmAsset(c.Asset, false, c.Comment, actor, c.At),
        // The key fields are immutable: sent as "no change", so a recorded change to one of them is not what the rules give.
        AssetAmended a => new AmendAsset(a.Asset, a.Details with { Warehouse = null, ReceiptNumber = null, Debtor = null, BillNumber = null, ContentSha256 = null }, actor, a.At),
        AssetTransferOffered o => new OfferTransfer(o.Asset, o.To, actor, o.At),
        AssetTransferred t => new AcceptTransfer(t.Asset, actor, t.At),
        AssetTransferDeclined d => new DeclineTransfer(d.Asset, actor, d.At),
        AssetTransferWithdrawn w => new WithdrawTransfer(w.Asset, actor, w.At),
        AssetTransferredOut o => new TransferOut(o.Asset, o.Venue, rolesOf(o.Venue) ?? new HashSet<Role>(), o.Purpose, actor, o.At),
        AssetReturned r => new ReturnAsset(r.Asset, r.Owner == before.Owner ? null : r.Owner, actor, r.At),
        AssetFrozen f => new FreezeAsset(f.Asset, f.FreezeId, f.Authority, f.Reason, actor, f.At),
        AssetUnfrozen u => new UnfreezeAsset(u.Asset, u.FreezeId, u.Reason, actor, u.At),
        AssetCancelled c => new CancelAsset(c.Asset, c.Reason, actor, c.At),
        EvidenceAttached x => new AttachEvidence(x.Asset, x.Sha256, x.MediaType, x.Description, x.Source, actor, x.At),
        AssetReleaseRequested r => new ReleaseGoods(r.Asset, r.DeliveryOrder, r.Quantity.Value, r.Quantity.Unit, actor, r.At),
        // Goods leave either by a release in one step or by the venue's consent to a pending request.
        AssetGoodsReleased g when before.PendingRelease is not null => new AnswerRelease(g.Asset, true, null, actor, g.At),
        AssetGoodsReleased g => new ReleaseGoods(g.Asset, g.DeliveryOrder, g.Released.Value, g.Released.Unit, actor, g.At),
        AssetReleaseDeclined d => new AnswerRelease(d.Asset, false, d.Comment, actor, d.At),
        AssetExpired x => new ExpireAsset(x.Asset, actor, x.At),
        AssetSplit x => new SplitAsset(x.Asset, [.. x.Parts.Select(p => new SplitPartRequest(p.Asset, p.Quantity.Value, p.ReceiptNumber))], actor, x.At),
        IotAlarmRaised a => new RaiseIotAlarm(a.Asset, a.AlarmId, a.RuleId, a.RuleVersion, a.Condition, a.Severity, a.Device, a.Counters, a.Detail, actor, a.At),
        IotAlarmClearanceGiven g => new ClearIotAlarm(g.Asset, g.AlarmId, g.Remark, actor, g.At),
        IotAlarmCleared c => new ClearIotAlarm(c.Asset, c.AlarmId, c.Remark, actor, c.At),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "No command implies this event."),
    };

    // Records compare lists by reference; the confirmers a registration copies are compared by their items.
    static bool Same(IAssetEvent decided, IAssetEvent recorded) => (decided, recorded) switch
    {
        (AssetRegistered a, AssetRegistered b) => a with { RequiredConfirmers = b.RequiredConfirmers } == b && a.RequiredConfirmers.SequenceEqual(b.RequiredConfirmers),
        (AssetSplit a, AssetSplit b) => a with { Parts = b.Parts } == b && a.Parts.SequenceEqual(b.Parts),
        _ => decided.Equals(recorded),
    };

    /// <summary>
    /// The parts' first events a recorded split implies, as the rules decide them in the parent's state before the split:
    /// a verifier holding the parent's history checks a part's <see cref="AssetSplitOff"/> against these.
    /// </summary>
    public static IReadOnlyList<AssetSplitOff> SplitOffs(AssetState parentBefore, AssetSplit split, Actor actor) =>
        AssetDecider.Decide(parentBefore, ImpliedCommand(parentBefore, split, actor, _ => null)).Events.OfType<AssetSplitOff>().ToList();

    /// <summary>Whether a part's recorded first event is exactly what its parent's split decided for it.</summary>
    public static bool SameSplitOff(AssetSplitOff decided, AssetSplitOff recorded) =>
        decided with { RequiredConfirmers = recorded.RequiredConfirmers, Confirmations = recorded.Confirmations } == recorded &&
        decided.RequiredConfirmers.SequenceEqual(recorded.RequiredConfirmers) && decided.Confirmations.SequenceEqual(recorded.Confirmations);

    static DomainError Inadmissible(string why) => new("event.inadmissible", why, ErrorKind.Invalid);
}
