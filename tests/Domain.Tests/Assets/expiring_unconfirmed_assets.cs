namespace AssetLedger.Domain.Tests.Assets;

/// <summary>
/// Confirmation expiry (issue 17 item 3): a Pending asset whose required confirmations are not all in within the
/// policy's window (per kind, 7 days by default) expires by the registry's timer, with an event that names the deadline
/// and the confirmations that were missing. The window starts again with a material amendment.
/// </summary>
public class expiring_unconfirmed_assets
{
    static ExpireAsset Expire(DateTimeOffset at, Actor? by = null) => new(Asset, by ?? Device, at);

    [Fact]
    public void a_pending_asset_expires_at_its_deadline_naming_the_missing_confirmations()
    {
        var deadline = Now + TimeSpan.FromDays(7);
        var state = Given(Registered(), Confirmed(Warehouse, "warehouse"));
        ThenEvents(When(state, Expire(deadline)), new AssetExpired(Asset, Now, deadline, ["trading-center"], Device.Id, deadline));

        var expired = Given(Registered(), Confirmed(Warehouse, "warehouse"), new AssetExpired(Asset, Now, deadline, ["trading-center"], Device.Id, deadline));
        Assert.Equal((AssetStatus.Expired, true), (expired.Status, expired.IsClosed));
        ThenError(When(expired, Confirm(TradingCenter)), "asset.closed");
    }

    [Fact]
    public void before_its_deadline_it_does_not_expire()
    {
        ThenError(When(Given(Registered()), Expire(Now + TimeSpan.FromDays(7) - TimeSpan.FromTicks(1))), "asset.not_yet_expired");
    }

    [Fact]
    public void an_active_asset_never_expires()
    {
        ThenError(When(Given(Active()), Expire(Now + TimeSpan.FromDays(70))), "asset.wrong_status");
    }

    [Fact]
    public void only_the_registry_timer_expires_an_asset()
    {
        ThenError(When(Given(Registered()), Expire(Now + TimeSpan.FromDays(8), Regulator)), "asset.not_permitted");
        ThenError(When(Given(Registered()), Expire(Now + TimeSpan.FromDays(8), Owner)), "asset.not_permitted");
    }

    [Fact]
    public void a_material_amendment_starts_the_window_again()
    {
        var amendedAt = Now + TimeSpan.FromDays(5);
        var state = Given([.. Active(), new AssetAmended(Asset, ReceiptDetails() with { Quantity = new Quantity("900", "t") }, true, Owner.Id, amendedAt)]);
        Assert.Equal(AssetStatus.Pending, state.Status);
        ThenError(When(state, Expire(Now + TimeSpan.FromDays(8))), "asset.not_yet_expired");
        var deadline = amendedAt + TimeSpan.FromDays(7);
        ThenEvents(When(state, Expire(deadline)), new AssetExpired(Asset, amendedAt, deadline, ["warehouse", "trading-center"], Device.Id, deadline));
    }

    [Fact]
    public void the_window_is_set_per_kind()
    {
        var policy = new ConfirmationPolicy(new Dictionary<AssetKind, TimeSpan> { [AssetKind.WarehouseReceipt] = TimeSpan.FromDays(2) });
        Assert.Null(AssetDecider.Decide(Given(Registered()), Expire(Now + TimeSpan.FromDays(2)), policy).Error);
        Assert.Equal("asset.not_yet_expired", AssetDecider.Decide(Given(Registered(AssetKind.Receivable)), Expire(Now + TimeSpan.FromDays(2)), policy).Error?.Code);
        Assert.Equal(TimeSpan.FromDays(2), policy.ShortestWindow);
    }
}
