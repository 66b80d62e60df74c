namespace AssetLedger.Domain.Tests.Assets;

/// <summary>A regulator or court freezes (judicial, regulatory), the registry freezes on an IoT alarm; a regulator lifts a freeze.</summary>
public class freezing_and_unfreezing
{
    [Fact]
    public void court_freezes_an_active_asset()
    {
        ThenEvents(When(Given(Active()), PlaceFreeze("freeze-1", FreezeAuthority.Judicial, Regulator)), Frozen("freeze-1", FreezeAuthority.Judicial, Regulator));
    }

    [Fact]
    public void regulator_freezes_an_active_asset()
    {
        ThenEvents(When(Given(Active()), PlaceFreeze("reg-7", FreezeAuthority.Regulatory)), Frozen("reg-7", FreezeAuthority.Regulatory));
    }

    [Fact]
    public void the_registry_freezes_on_an_iot_alarm()
    {
        var result = When(Given(Active()), PlaceFreeze("alarm-3", FreezeAuthority.IotAlarm, Device, "gate 2: goods left without a release"));

        ThenEvents(result, Frozen("alarm-3", FreezeAuthority.IotAlarm, Device, "gate 2: goods left without a release"));
    }

    [Fact]
    public void a_frozen_asset_is_locked()
    {
        Assert.True(Given([.. Active(), Frozen()]).IsLocked);
    }

    [Fact]
    public void an_asset_out_at_a_venue_can_be_frozen()
    {
        ThenEvents(When(Given([.. Active(), TransferredOut(Bank)]), PlaceFreeze()), Frozen());
    }

    [Fact]
    public void an_asset_with_a_pending_offer_can_be_frozen()
    {
        ThenEvents(When(Given([.. Active(), Offered()]), PlaceFreeze()), Frozen());
    }

    [Fact]
    public void a_second_authority_adds_its_own_freeze()
    {
        ThenEvents(When(Given([.. Active(), Frozen("freeze-1")]), PlaceFreeze("freeze-2", FreezeAuthority.Regulatory)), Frozen("freeze-2", FreezeAuthority.Regulatory));
    }

    [Fact]
    public void a_freeze_id_in_place_cannot_be_reused()
    {
        ThenError(When(Given([.. Active(), Frozen("freeze-1")]), PlaceFreeze("freeze-1")), "asset.freeze_exists");
    }

    [Fact]
    public void a_regulator_cannot_place_an_iot_alarm_freeze()
    {
        ThenError(When(Given(Active()), PlaceFreeze(authority: FreezeAuthority.IotAlarm, by: Regulator)), "asset.not_permitted");
    }

    [Fact]
    public void the_registry_cannot_place_a_judicial_freeze()
    {
        ThenError(When(Given(Active()), PlaceFreeze(authority: FreezeAuthority.Judicial, by: Device)), "asset.not_permitted");
    }

    [Fact]
    public void a_bank_cannot_freeze()
    {
        ThenError(When(Given([.. Active(), TransferredOut(Bank)]), PlaceFreeze(by: Bank)), "asset.not_permitted");
    }

    [Fact]
    public void the_owner_cannot_freeze()
    {
        ThenError(When(Given(Active()), PlaceFreeze(by: Owner)), "asset.not_permitted");
    }

    [Fact]
    public void a_pending_asset_cannot_be_frozen()
    {
        ThenError(When(Given(Registered()), PlaceFreeze()), "asset.wrong_status");
    }

    [Fact]
    public void a_freeze_needs_a_reason()
    {
        ThenError(When(Given(Active()), PlaceFreeze(reason: " ")), "asset.invalid", "reason");
    }

    [Fact]
    public void a_freeze_needs_an_id()
    {
        ThenError(When(Given(Active()), PlaceFreeze(id: "")), "asset.invalid", "freezeId");
    }

    [Fact]
    public void a_cancelled_asset_cannot_be_frozen()
    {
        ThenError(When(Given([.. Active(), Cancelled()]), PlaceFreeze()), "asset.closed");
    }

    [Fact]
    public void regulator_lifts_a_freeze()
    {
        ThenEvents(When(Given([.. Active(), Frozen("freeze-1")]), LiftFreeze("freeze-1")), Unfrozen("freeze-1"));
    }

    [Fact]
    public void regulator_lifts_an_iot_alarm_freeze()
    {
        var state = Given([.. Active(), Frozen("alarm-3", FreezeAuthority.IotAlarm, Device)]);

        ThenEvents(When(state, LiftFreeze("alarm-3", Regulator)), Unfrozen("alarm-3", Regulator));
    }

    [Fact]
    public void lifting_the_only_freeze_unlocks_the_asset()
    {
        Assert.False(Given([.. Active(), Frozen("freeze-1"), Unfrozen("freeze-1")]).IsLocked);
    }

    [Fact]
    public void lifting_one_of_two_freezes_leaves_the_asset_frozen()
    {
        var state = Given([.. Active(), Frozen("freeze-1"), Frozen("freeze-2"), Unfrozen("freeze-1")]);

        Assert.Equal(["freeze-2"], state.Freezes.Keys);
    }

    [Fact]
    public void an_unknown_freeze_cannot_be_lifted()
    {
        ThenError(When(Given([.. Active(), Frozen("freeze-1")]), LiftFreeze("freeze-2")), "asset.freeze_not_found");
    }

    [Fact]
    public void the_owner_cannot_lift_a_freeze()
    {
        ThenError(When(Given([.. Active(), Frozen()]), LiftFreeze(by: Owner)), "asset.not_permitted");
    }

    [Fact]
    public void the_registry_cannot_lift_a_freeze()
    {
        ThenError(When(Given([.. Active(), Frozen("alarm-3", FreezeAuthority.IotAlarm, Device)]), LiftFreeze("alarm-3", Device)), "asset.not_permitted");
    }
}
