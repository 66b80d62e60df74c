namespace AssetLedger.Domain.Tests.Assets;

/// <summary>The owner, a confirmer or a device attaches evidence (a hash, a media type, a source), in any status but closed.</summary>
public class attaching_evidence
{
    [Fact]
    public void owner_attaches_evidence()
    {
        ThenEvents(When(Given(Active()), Attach(by: Owner)), Attached(by: Owner));
    }

    [Fact]
    public void the_named_warehouse_attaches_evidence_before_confirming()
    {
        ThenEvents(When(Given(Registered()), Attach(by: Warehouse, source: "wms")), Attached(by: Warehouse, source: "wms"));
    }

    [Fact]
    public void a_trading_center_that_confirmed_attaches_evidence()
    {
        ThenEvents(When(Given(Active()), Attach(by: TradingCenter)), Attached(by: TradingCenter));
    }

    [Fact]
    public void a_device_attaches_a_reading()
    {
        var result = When(Given(Active()), Attach(by: Device, mediaType: "application/json", source: "device:weighbridge-2"));

        ThenEvents(result, Attached(by: Device, mediaType: "application/json", source: "device:weighbridge-2"));
    }

    [Fact]
    public void evidence_counts_on_the_asset()
    {
        Assert.Equal(2, Given([.. Active(), Attached(), Attached(by: Device)]).EvidenceCount);
    }

    [Fact]
    public void a_trading_center_that_did_not_confirm_cannot_attach_evidence()
    {
        ThenError(When(Given(Active()), Attach(by: OtherTradingCenter)), "asset.not_permitted");
    }

    [Fact]
    public void a_stranger_cannot_attach_evidence()
    {
        ThenError(When(Given(Active()), Attach(by: Logistics)), "asset.not_permitted");
    }

    [Fact]
    public void the_next_owner_attaches_evidence_once_the_transfer_is_done()
    {
        ThenEvents(When(Given([.. Active(), Offered(), Transferred()]), Attach(by: Buyer)), Attached(by: Buyer));
    }

    [Fact]
    public void a_frozen_asset_still_takes_evidence()
    {
        ThenEvents(When(Given([.. Active(), Frozen()]), Attach()), Attached());
    }

    [Fact]
    public void an_asset_out_at_a_venue_still_takes_evidence()
    {
        ThenEvents(When(Given([.. Active(), TransferredOut()]), Attach()), Attached());
    }

    [Fact]
    public void a_cancelled_asset_takes_no_evidence()
    {
        ThenError(When(Given([.. Active(), Cancelled()]), Attach()), "asset.closed");
    }

    [Fact]
    public void evidence_needs_a_media_type()
    {
        ThenError(When(Given(Active()), Attach(mediaType: "")), "asset.invalid", "mediaType");
    }

    [Fact]
    public void evidence_on_an_unknown_asset_is_refused()
    {
        ThenError(When(Given(), Attach()), "asset.not_found");
    }
}
