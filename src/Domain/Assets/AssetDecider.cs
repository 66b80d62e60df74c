using AssetLedger.Domain.Common;
using Decision = AssetLedger.Domain.Common.Decision<AssetLedger.Domain.Assets.IAssetEvent>;

namespace AssetLedger.Domain.Assets;

/// <summary>
/// The command table of ARCHITECTURE.md as one pure function: state + command → events or a domain error.
/// Guards run in a fixed order: existence, closed, actor, status, locks, then the command's own rules.
/// </summary>
public static partial class AssetDecider
{
    public static Decision Decide(AssetState s, IAssetCommand command, ConfirmationPolicy? policy = null)
    {
        if (command is RegisterAsset register) return Register(s, register, policy ?? ConfirmationPolicy.Default);
        if (!s.Exists) return AssetErrors.NotFound(command.Asset);
        if (s.IsClosed) return AssetErrors.Closed(s.Status);
        return command switch
        {
            ConfirmAsset c => Confirm(s, c),
            AmendAsset c => Amend(s, c),
            OfferTransfer c => Offer(s, c),
            AcceptTransfer c => Accept(s, c),
            DeclineTransfer c => Decline(s, c),
            WithdrawTransfer c => Withdraw(s, c),
            TransferOut c => Out(s, c),
            ReturnAsset c => Return(s, c),
            FreezeAsset c => Freeze(s, c),
            UnfreezeAsset c => Unfreeze(s, c),
            CancelAsset c => Cancel(s, c),
            AttachEvidence c => Evidence(s, c),
            ReleaseGoods c => Release(s, c),
            ExpireAsset c => Expire(s, c, policy ?? ConfirmationPolicy.Default),
            AnswerRelease c => Answer(s, c),
            SplitAsset c => Split(s, c),
            RaiseIotAlarm c => Raise(s, c),
            ClearIotAlarm c => Clear(s, c),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "No decision for this command."),
        };
    }

    static Decision Register(AssetState s, RegisterAsset c, ConfirmationPolicy policy)
    {
        if (s.Exists) return AssetErrors.AlreadyExists(c.Asset);
        if (!ParticipantId.IsWellFormed(c.Owner.Value)) return AssetErrors.Invalid("ownerId", "ownerId must name a participant id.");
        if (AssetDetailsRules.Validate(c.Kind, c.Details) is { } invalid) return invalid;
        var warehouseFiles = c.Kind == AssetKind.WarehouseReceipt && c.Details.Warehouse == c.Actor.Id && c.Actor.Has(Role.Warehouse);
        if (c.Actor.Id != c.Owner && !warehouseFiles)
            return AssetErrors.NotPermitted(c.Actor.Id, "an asset is registered by its owner, or a receipt by the warehouse that holds the goods.");
        var key = AssetDetailsRules.KeyOf(c.Kind, c.Details);
        return Decision.Of(new AssetRegistered(c.Asset, c.Kind, c.Owner, c.Details, key, policy.For(c.Kind, c.Details), c.Actor.Id, c.At));
    }

    static Decision Confirm(AssetState s, ConfirmAsset c)
    {
        if (s.Confirmations.Values.Contains(c.Actor.Id)) return AssetErrors.AlreadyConfirmed(c.Actor.Id);
        if (!s.RequiredConfirmers.Any(r => r.Admits(c.Actor))) return AssetErrors.NotConfirmer(c.Actor.Id);
        if (!s.RequiredConfirmers.Any(r => r.Admits(c.Actor) && s.IsIndependentFor(r, c.Actor)))
            return AssetErrors.ConfirmerNotIndependent(c.Actor.Id, c.Actor.Id == s.Owner);
        if (s.Status != AssetStatus.Pending) return AssetErrors.WrongStatus(s.Status, "confirm", "Pending");
        var slot = s.RequiredConfirmers.FirstOrDefault(r => r.Admits(c.Actor) && s.IsIndependentFor(r, c.Actor) && !s.Confirmations.ContainsKey(r.Slot));
        if (slot is null) return AssetErrors.NotConfirmer(c.Actor.Id);
        if (c.Comment is { Length: > AssetLimits.LongText }) return AssetErrors.Invalid("comment", $"comment is at most {AssetLimits.LongText} characters.");
        return c.Approve
            ? Decision.Of(new AssetConfirmed(c.Asset, c.Actor.Id, slot.Slot, c.Comment, c.At))
            : Decision.Of(new AssetRejected(c.Asset, c.Actor.Id, slot.Slot, c.Comment, c.At));
    }

    static Decision Amend(AssetState s, AmendAsset c)
    {
        if (c.Actor.Id != s.Owner) return AssetErrors.NotOwner(c.Actor.Id, "amend it");
        if (s.Status != AssetStatus.Active) return AssetErrors.WrongStatus(s.Status, "amend", "Active");
        if (s.IsLocked) return AssetErrors.Locked(s, "amend");
        var x = c.Changes;
        if (x.Warehouse is not null) return AssetErrors.KeyImmutable("warehouseId");
        if (x.ReceiptNumber is not null) return AssetErrors.KeyImmutable("receiptNumber");
        if (x.Debtor is not null) return AssetErrors.KeyImmutable("debtorId");
        if (x.BillNumber is not null) return AssetErrors.KeyImmutable("billNumber");
        if (x.ContentSha256 is not null) return AssetErrors.KeyImmutable("contentSha256");
        var d = s.Details;
        var after = d with
        {
            Commodity = x.Commodity ?? d.Commodity, Quantity = x.Quantity ?? d.Quantity, Amount = x.Amount ?? d.Amount,
            DueDate = x.DueDate ?? d.DueDate, Title = x.Title ?? d.Title, MediaType = x.MediaType ?? d.MediaType,
            Description = x.Description ?? d.Description,
        };
        if (after == d) return AssetErrors.NoChange();
        if (AssetDetailsRules.Validate(s.Kind, after) is { } invalid) return invalid;
        return Decision.Of(new AssetAmended(c.Asset, after, AssetDetailsRules.IsMaterial(d, after), c.Actor.Id, c.At));
    }

    static Decision Offer(AssetState s, OfferTransfer c)
    {
        if (c.Actor.Id != s.Owner) return AssetErrors.NotOwner(c.Actor.Id, "offer it for transfer");
        if (s.Status != AssetStatus.Active) return AssetErrors.WrongStatus(s.Status, "offer a transfer", "Active");
        if (s.IsLocked) return AssetErrors.Locked(s, "offer a transfer");
        if (!ParticipantId.IsWellFormed(c.To.Value)) return AssetErrors.Invalid("toId", "toId must name a participant id.");
        if (c.To == s.Owner) return AssetErrors.SelfTransfer();
        return Decision.Of(new AssetTransferOffered(c.Asset, s.Owner, c.To, c.At));
    }

    static Decision Accept(AssetState s, AcceptTransfer c)
    {
        if (s.PendingOffer is not { } offer) return AssetErrors.NoPendingOffer();
        if (c.Actor.Id != offer.To) return AssetErrors.NotAssignee(c.Actor.Id, offer.To);
        if (s.IsFrozen || s.IsOut) return AssetErrors.Locked(s with { PendingOffer = null }, "accept the transfer");
        return Decision.Of(new AssetTransferred(c.Asset, s.Owner, offer.To, c.At));
    }

    static Decision Decline(AssetState s, DeclineTransfer c)
    {
        if (s.PendingOffer is not { } offer) return AssetErrors.NoPendingOffer();
        if (c.Actor.Id != offer.To) return AssetErrors.NotAssignee(c.Actor.Id, offer.To);
        return Decision.Of(new AssetTransferDeclined(c.Asset, c.Actor.Id, c.At));
    }

    static Decision Withdraw(AssetState s, WithdrawTransfer c)
    {
        if (c.Actor.Id != s.Owner) return AssetErrors.NotOwner(c.Actor.Id, "withdraw the offer");
        if (s.PendingOffer is null) return AssetErrors.NoPendingOffer();
        return Decision.Of(new AssetTransferWithdrawn(c.Asset, c.Actor.Id, c.At));
    }

    static Decision Out(AssetState s, TransferOut c)
    {
        if (c.Actor.Id != s.Owner) return AssetErrors.NotOwner(c.Actor.Id, "transfer it out");
        if (s.Status != AssetStatus.Active) return AssetErrors.WrongStatus(s.Status, "transfer out", "Active");
        if (s.IsLocked) return AssetErrors.Locked(s, "transfer out");
        var needed = c.Purpose == VenuePurpose.Trade ? Role.TradingCenter : Role.FinancialInstitution;
        if (!c.VenueRoles.Contains(needed) || c.Venue == s.Owner) return AssetErrors.VenueNotEligible(c.Venue, c.Purpose);
        return Decision.Of(new AssetTransferredOut(c.Asset, c.Venue, c.Purpose, c.Actor.Id, c.At));
    }

    static Decision Return(AssetState s, ReturnAsset c)
    {
        if (s.Custody is not { } custody) return AssetErrors.NotOut();
        if (c.Actor.Id != custody.Venue) return AssetErrors.NotVenue(c.Actor.Id, custody.Venue);
        if (s.IsFrozen) return AssetErrors.Frozen(s);
        if (s.PendingRelease is { } release) return AssetErrors.ReleasePending(release, "return the asset");
        if (c.NewOwner is { } n && !ParticipantId.IsWellFormed(n.Value)) return AssetErrors.Invalid("newOwnerId", "newOwnerId must name a participant id.");
        return Decision.Of(new AssetReturned(c.Asset, custody.Venue, s.Owner, c.NewOwner ?? s.Owner, c.At));
    }

    static Decision Freeze(AssetState s, FreezeAsset c)
    {
        var allowed = c.Authority == FreezeAuthority.IotAlarm ? c.Actor.Has(Role.System) : c.Actor.Has(Role.Regulator);
        if (!allowed) return AssetErrors.NotPermitted(c.Actor.Id, c.Authority == FreezeAuthority.IotAlarm
            ? "only the registry's own alarm rules place IoT-alarm freezes." : "only a regulator or court freezes an asset.");
        if (s.Status != AssetStatus.Active) return AssetErrors.WrongStatus(s.Status, "freeze", "Active");
        if (string.IsNullOrWhiteSpace(c.FreezeId) || c.FreezeId.Length > AssetLimits.FreezeId) return AssetErrors.Invalid("freezeId", $"freezeId is required (1–{AssetLimits.FreezeId} characters).");
        if (string.IsNullOrWhiteSpace(c.Reason) || c.Reason.Length > AssetLimits.LongText) return AssetErrors.Invalid("reason", $"A reason (1–{AssetLimits.LongText} characters) is required to freeze.");
        if (s.Freezes.ContainsKey(c.FreezeId)) return AssetErrors.FreezeExists(c.FreezeId);
        return Decision.Of(new AssetFrozen(c.Asset, c.FreezeId, c.Authority, c.Reason, c.Actor.Id, c.At));
    }

    static Decision Unfreeze(AssetState s, UnfreezeAsset c)
    {
        if (!c.Actor.Has(Role.Regulator)) return AssetErrors.NotPermitted(c.Actor.Id, "only a regulator or court lifts a freeze.");
        if (c.FreezeId.Length > AssetLimits.FreezeId) return AssetErrors.Invalid("freezeId", $"freezeId is at most {AssetLimits.FreezeId} characters.");
        if (c.Reason is { Length: > AssetLimits.LongText }) return AssetErrors.Invalid("reason", $"reason is at most {AssetLimits.LongText} characters.");
        if (!s.Freezes.TryGetValue(c.FreezeId, out var freeze)) return AssetErrors.FreezeNotFound(c.FreezeId);
        if (s.Alarms.ContainsKey(freeze.FreezeId)) return AssetErrors.IotFreeze(c.FreezeId);
        return Decision.Of(new AssetUnfrozen(c.Asset, c.FreezeId, c.Reason, c.Actor.Id, c.At));
    }

    static Decision Cancel(AssetState s, CancelAsset c)
    {
        if (s.Kind == AssetKind.WarehouseReceipt)
        {
            if (c.Actor.Id != s.Details.Warehouse)
                return AssetErrors.NotPermitted(c.Actor.Id, $"a warehouse receipt is cancelled by its custodian warehouse ({s.Details.Warehouse}) when it releases the goods.");
        }
        else if (c.Actor.Id != s.Owner) return AssetErrors.NotOwner(c.Actor.Id, "cancel it");
        if (s.Status != AssetStatus.Active) return AssetErrors.WrongStatus(s.Status, "cancel", "Active");
        if (s.IsLocked) return AssetErrors.Locked(s, "cancel");
        if (string.IsNullOrWhiteSpace(c.Reason) || c.Reason.Length > AssetLimits.LongText) return AssetErrors.Invalid("reason", $"A reason (1–{AssetLimits.LongText} characters) is required to cancel.");
        return Decision.Of(new AssetCancelled(c.Asset, c.Reason, c.Actor.Id, c.At));
    }

    static Decision Expire(AssetState s, ExpireAsset c, ConfirmationPolicy policy)
    {
        if (!c.Actor.Has(Role.System)) return AssetErrors.NotPermitted(c.Actor.Id, "assets expire by the registry's own timer.");
        if (s.Status != AssetStatus.Pending || s.PendingSince is not { } since) return AssetErrors.WrongStatus(s.Status, "expire", "Pending");
        var deadline = since + policy.Window(s.Kind);
        if (c.At < deadline) return AssetErrors.NotYetExpired(deadline);
        var missing = s.RequiredConfirmers.Where(r => !s.Confirmations.ContainsKey(r.Slot)).Select(r => r.Slot).ToList();
        return Decision.Of(new AssetExpired(c.Asset, since, deadline, missing, c.Actor.Id, c.At));
    }

    static Decision Evidence(AssetState s, AttachEvidence c)
    {
        var isConfirmer = s.RequiredConfirmers.Any(r => r.Named == c.Actor.Id) || s.Confirmations.Values.Contains(c.Actor.Id);
        if (c.Actor.Id != s.Owner && !isConfirmer && !c.Actor.Has(Role.System))
            return AssetErrors.NotPermitted(c.Actor.Id, "evidence is attached by the owner, a confirmer of this asset or a registered device.");
        if (c.Sha256 is null || !AssetDetailsRules.Sha256Hex().IsMatch(c.Sha256)) return AssetErrors.Invalid("sha256", "sha256 must be 64 lower-case hex digits.");
        if (string.IsNullOrWhiteSpace(c.MediaType) || c.MediaType.Length > AssetLimits.EvidenceMediaType) return AssetErrors.Invalid("mediaType", "mediaType is required, e.g. \"application/pdf\".");
        if (c.Description is { Length: > AssetLimits.LongText }) return AssetErrors.Invalid("description", $"description is at most {AssetLimits.LongText} characters.");
        return Decision.Of(new EvidenceAttached(c.Asset, c.Sha256, c.MediaType, c.Description, c.Source, c.Actor.Id, c.At));
    }
}
