using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Serialization;
using static AssetLedger.Domain.Tests.Support.Actors;

namespace AssetLedger.Domain.Tests.Support;

/// <summary>
/// Given events / when a command / then events or an error. Event builders are past tense (<c>Frozen()</c>),
/// command builders imperative (<c>PlaceFreeze()</c>); every builder defaults to the common case.
/// </summary>
public static class AssetSpec
{
    public static readonly AssetId Asset = new(Guid.Parse("0195a0c4-7b1e-7c3a-9d2f-4e5a6b7c8d9e"));
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    public const string ContentHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    public const string EvidenceHash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    // ---- given / when / then ----

    public static AssetState Given(params IAssetEvent[] history) => AssetState.From(history);

    public static Decision<IAssetEvent> When(AssetState state, IAssetCommand command) => AssetDecider.Decide(state, command);

    /// <summary>The decision produced exactly these events, compared in their stored form (name and JSON).</summary>
    public static void ThenEvents(Decision<IAssetEvent> decision, params IAssetEvent[] expected)
    {
        Assert.True(decision.Error is null, $"Expected events, got the error {decision.Error}");
        Assert.Equal(expected.Select(Stored), decision.Events.Select(Stored));
    }

    /// <summary>The decision was refused with this code (and field, where given), and decided nothing.</summary>
    public static DomainError ThenError(Decision<IAssetEvent> decision, string code, string? field = null)
    {
        var error = Assert.IsType<DomainError>(decision.Error, exactMatch: true);
        Assert.Equal(code, error.Code);
        if (field is not null) Assert.Equal(field, error.Field);
        Assert.Empty(decision.Events);
        return error;
    }

    public static string Stored(IAssetEvent e)
    {
        var (type, schema, json) = EventSerializer.Instance.Serialize(e);
        return $"{type}/v{schema} {json}";
    }

    // ---- details ----

    public static AssetDetails ReceiptDetails() => new()
    {
        Warehouse = Warehouse.Id, ReceiptNumber = "WR-2026-0001", Commodity = "crude oil", Quantity = new Quantity("1200.5", "t"),
    };

    public static AssetDetails ReceivableDetails() => new()
    {
        Debtor = Debtor.Id, BillNumber = "INV-2026-0001", Amount = new Money("100000", "CNY"), DueDate = new DateOnly(2026, 12, 31),
    };

    public static AssetDetails IntangibleDetails() => new()
    {
        Title = "West Lake guide photos", ContentSha256 = ContentHash, MediaType = "image/jpeg",
    };

    public static AssetDetails DetailsOf(AssetKind kind) => kind switch
    {
        AssetKind.WarehouseReceipt => ReceiptDetails(),
        AssetKind.Receivable => ReceivableDetails(),
        AssetKind.Intangible => IntangibleDetails(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Who fills each default confirmation slot in these tests.</summary>
    public static IReadOnlyList<(Actor By, string Slot)> ConfirmersOf(AssetKind kind) => kind switch
    {
        AssetKind.WarehouseReceipt => [(Warehouse, "warehouse"), (TradingCenter, "trading-center")],
        AssetKind.Receivable => [(Debtor, "debtor"), (TradingCenter, "trading-center")],
        AssetKind.Intangible => [(Regulator, "regulator"), (TradingCenter, "trading-center")],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // ---- events ----

    public static AssetRegistered Registered(AssetKind kind = AssetKind.WarehouseReceipt, Actor? owner = null, Actor? by = null, AssetDetails? details = null)
    {
        var d = details ?? DetailsOf(kind);
        var o = (owner ?? Owner).Id;
        return new AssetRegistered(Asset, kind, o, d, AssetDetailsRules.KeyOf(kind, d), ConfirmationPolicy.Default.For(kind, d), by?.Id ?? o, Now);
    }

    public static AssetConfirmed Confirmed(Actor by, string slot, string? comment = null) => new(Asset, by.Id, slot, comment, Now);

    public static AssetRejected Rejected(Actor by, string slot, string? comment = null) => new(Asset, by.Id, slot, comment, Now);

    /// <summary>Registered and confirmed by every required party: an Active asset owned by <see cref="Actors.Owner"/>.</summary>
    public static IAssetEvent[] Active(AssetKind kind = AssetKind.WarehouseReceipt) =>
        [Registered(kind), .. ConfirmersOf(kind).Select(c => Confirmed(c.By, c.Slot))];

    public static AssetAmended Amended(AssetDetails details, bool material, Actor? by = null) => new(Asset, details, material, (by ?? Owner).Id, Now);

    public static AssetTransferOffered Offered(Actor? to = null, Actor? from = null) => new(Asset, (from ?? Owner).Id, (to ?? Buyer).Id, Now);

    public static AssetTransferred Transferred(Actor? to = null, Actor? from = null) => new(Asset, (from ?? Owner).Id, (to ?? Buyer).Id, Now);

    public static AssetTransferDeclined Declined(Actor? by = null) => new(Asset, (by ?? Buyer).Id, Now);

    public static AssetTransferWithdrawn Withdrawn(Actor? by = null) => new(Asset, (by ?? Owner).Id, Now);

    public static AssetTransferredOut TransferredOut(Actor? venue = null, VenuePurpose purpose = VenuePurpose.Financing, Actor? by = null) =>
        new(Asset, (venue ?? Bank).Id, purpose, (by ?? Owner).Id, Now);

    public static AssetReturned Returned(Actor? venue = null, Actor? to = null, Actor? previousOwner = null) =>
        new(Asset, (venue ?? Bank).Id, (previousOwner ?? Owner).Id, (to ?? previousOwner ?? Owner).Id, Now);

    public static AssetFrozen Frozen(string id = "freeze-1", FreezeAuthority authority = FreezeAuthority.Judicial, Actor? by = null, string reason = "court order 2026-17") =>
        new(Asset, id, authority, reason, (by ?? Regulator).Id, Now);

    public static AssetUnfrozen Unfrozen(string id = "freeze-1", Actor? by = null, string? reason = "order lifted") => new(Asset, id, reason, (by ?? Regulator).Id, Now);

    public static AssetCancelled Cancelled(Actor? by = null, string reason = "goods released") => new(Asset, reason, (by ?? Warehouse).Id, Now);

    public static EvidenceAttached Attached(Actor? by = null, string sha256 = EvidenceHash, string mediaType = "application/pdf", string source = "upload") =>
        new(Asset, sha256, mediaType, null, source, (by ?? Owner).Id, Now);

    // ---- commands ----

    public static RegisterAsset Register(AssetKind kind = AssetKind.WarehouseReceipt, Actor? owner = null, Actor? by = null, AssetDetails? details = null)
    {
        var o = owner ?? Owner;
        return new RegisterAsset(Asset, kind, o.Id, details ?? DetailsOf(kind), by ?? o, Now);
    }

    public static ConfirmAsset Confirm(Actor by, string? comment = null) => new(Asset, true, comment, by, Now);

    public static ConfirmAsset Reject(Actor by, string? comment = null) => new(Asset, false, comment, by, Now);

    public static AmendAsset Amend(AssetDetails changes, Actor? by = null) => new(Asset, changes, by ?? Owner, Now);

    public static OfferTransfer Offer(Actor? to = null, Actor? by = null) => new(Asset, (to ?? Buyer).Id, by ?? Owner, Now);

    public static AcceptTransfer Accept(Actor? by = null) => new(Asset, by ?? Buyer, Now);

    public static DeclineTransfer Decline(Actor? by = null) => new(Asset, by ?? Buyer, Now);

    public static WithdrawTransfer Withdraw(Actor? by = null) => new(Asset, by ?? Owner, Now);

    /// <summary>Transfer out to a venue; the venue's roles are the actor's, as the caller would look them up.</summary>
    public static TransferOut SendOut(Actor? venue = null, VenuePurpose purpose = VenuePurpose.Financing, Actor? by = null)
    {
        var v = venue ?? Bank;
        return new TransferOut(Asset, v.Id, v.Roles, purpose, by ?? Owner, Now);
    }

    public static ReturnAsset Return(Actor? by = null, Actor? newOwner = null) => new(Asset, newOwner?.Id, by ?? Bank, Now);

    public static FreezeAsset PlaceFreeze(string id = "freeze-1", FreezeAuthority authority = FreezeAuthority.Judicial, Actor? by = null, string reason = "court order 2026-17") =>
        new(Asset, id, authority, reason, by ?? Regulator, Now);

    public static UnfreezeAsset LiftFreeze(string id = "freeze-1", Actor? by = null, string? reason = "order lifted") => new(Asset, id, reason, by ?? Regulator, Now);

    public static CancelAsset Cancel(Actor? by = null, string reason = "goods released") => new(Asset, reason, by ?? Warehouse, Now);

    public static AttachEvidence Attach(Actor? by = null, string sha256 = EvidenceHash, string mediaType = "application/pdf", string source = "upload") =>
        new(Asset, sha256, mediaType, null, source, by ?? Owner, Now);
}
