using AssetLedger.Domain.Devices.Alarms;

namespace AssetLedger.Domain.Tests.Devices.Alarms;

/// <summary>
/// IoT alarms on an asset: only the registry raises them; a critical one freezes the receipt under its own id so that
/// nothing moves it; nothing clears itself; a regulator clears alone, else the warehouse and the party at risk together.
/// </summary>
public class raising_and_clearing_alarms
{
    static RaiseIotAlarm Raise(AlarmSeverity severity = AlarmSeverity.Critical, string id = "iot-1", string rule = "short-weight", string device = "wb-1", Actor? by = null) =>
        new(Asset, id, rule, 3, AlarmCondition.QuantityDeviation, severity, device, [41, 42, 43], "Weight 1000 t against 1200.5 t", by ?? Actor.SystemActor, Now);

    static IotAlarmRaised Raised(AlarmSeverity severity = AlarmSeverity.Critical, string id = "iot-1") =>
        new(Asset, id, "short-weight", 3, AlarmCondition.QuantityDeviation, severity, "wb-1", [41, 42, 43], "Weight 1000 t against 1200.5 t", ParticipantId.System, Now);

    static ClearIotAlarm Clear(Actor by, string id = "iot-1", string remark = "Re-weighed: the bags were moved to bay 4") => new(Asset, id, remark, by, Now);

    [Fact]
    public void a_critical_alarm_freezes_the_receipt_under_its_own_id()
    {
        ThenEvents(When(Given(Active()), Raise()), Raised());
        var state = Given([.. Active(), Raised()]);
        Assert.Equal(FreezeAuthority.IotAlarm, state.Freezes["iot-1"].Authority);
        Assert.True(state.IsLocked);
    }

    [Fact]
    public void a_warning_only_records()
    {
        var state = Given([.. Active(), Raised(AlarmSeverity.Warning)]);
        Assert.False(state.IsFrozen);
        Assert.Single(state.Alarms);
    }

    [Theory]
    [MemberData(nameof(Blocked))]
    public void the_alarm_freeze_blocks_what_would_move_the_goods(string name, IAssetCommand command)
    {
        var frozen = Given([.. Active(), Raised()]);
        Assert.NotNull(When(frozen, command).Error);
        Assert.Null(When(Given(Active()), command).Error); // the same command is allowed without the alarm
        _ = name;
    }

    public static TheoryData<string, IAssetCommand> Blocked => new()
    {
        { "offer", Offer() },
        { "transfer-out", SendOut() },
        { "cancel", Cancel() },
        { "split", new SplitAsset(Asset, [new(AssetId.New(), "1000"), new(AssetId.New(), "200.5")], Owner, Now) },
        { "release", new ReleaseGoods(Asset, "DO-1", "1", null, Warehouse, Now) },
    };

    [Fact]
    public void nobody_but_the_registry_raises_an_alarm()
    {
        foreach (var actor in new[] { Warehouse, Owner, Bank, Regulator }) ThenError(When(Given(Active()), Raise(by: actor)), "asset.not_permitted");
    }

    [Fact]
    public void one_open_alarm_per_rule_and_device()
    {
        var state = Given([.. Active(), Raised()]);
        ThenError(When(state, Raise(id: "iot-2")), "asset.alarm_open");
        ThenEvents(When(state, Raise(id: "iot-2", device: "wb-2")),
            Raised(id: "iot-2") with { Device = "wb-2" });
    }

    [Fact]
    public void a_regulator_cannot_lift_the_alarm_freeze_by_unfreezing_it()
    {
        ThenError(When(Given([.. Active(), Raised()]), LiftFreeze(id: "iot-1")), "asset.iot_freeze", "freezeId");
    }

    [Fact]
    public void a_regulator_clears_alone_and_the_freeze_goes_with_it()
    {
        var remark = "Inspected on site";
        ThenEvents(When(Given([.. Active(), Raised()]), Clear(Regulator, remark: remark)),
            new IotAlarmCleared(Asset, "iot-1", true, remark, [Regulator.Id], Regulator.Id, Now));
        var state = Given([.. Active(), Raised(), new IotAlarmCleared(Asset, "iot-1", true, remark, [Regulator.Id], Regulator.Id, Now)]);
        Assert.False(state.IsFrozen);
        Assert.Empty(state.Alarms);
    }

    [Fact]
    public void while_out_the_warehouse_and_the_venue_clear_it_together()
    {
        var state = Given([.. Active(), TransferredOut(Bank), Raised()]);
        var first = When(state, Clear(Warehouse));
        ThenEvents(first, new IotAlarmClearanceGiven(Asset, "iot-1", "Re-weighed: the bags were moved to bay 4", Warehouse.Id, Now));
        var half = Given([.. Active(), TransferredOut(Bank), Raised(), .. first.Events]);
        Assert.True(half.IsFrozen); // one party is not enough
        ThenError(When(half, Clear(Warehouse)), "asset.clearance_given");
        ThenError(When(half, Clear(Owner)), "asset.not_permitted"); // the owner is not the party at risk while the bank holds it
        ThenEvents(When(half, Clear(Bank, remark: "Seen the re-weighing")),
            new IotAlarmCleared(Asset, "iot-1", true, "Seen the re-weighing", [Bank.Id, Warehouse.Id], Bank.Id, Now));
    }

    [Fact]
    public void when_not_out_the_warehouse_and_the_owner_clear_it_together()
    {
        var state = Given([.. Active(), Raised()]);
        var first = When(state, Clear(Owner));
        ThenEvents(first, new IotAlarmClearanceGiven(Asset, "iot-1", "Re-weighed: the bags were moved to bay 4", Owner.Id, Now));
        ThenError(When(state, Clear(Bank)), "asset.not_permitted");
        var cleared = When(Given([.. Active(), Raised(), .. first.Events]), Clear(Warehouse));
        Assert.IsType<IotAlarmCleared>(Assert.Single(cleared.Events));
    }

    [Fact]
    public void a_warehouse_that_owns_the_goods_never_clears_its_own_alarm()
    {
        var own = Registered(owner: Warehouse, by: Warehouse);
        var state = Given([own, .. Active().Skip(1), Raised()]);
        Assert.Equal(Warehouse.Id, state.Owner);
        var refused = ThenError(When(state, Clear(Warehouse)), "asset.not_permitted");
        Assert.Contains("only a regulator", refused.Message);
        Assert.IsType<IotAlarmCleared>(Assert.Single(When(state, Clear(Regulator)).Events));
    }

    [Fact]
    public void a_warning_is_acknowledged_by_one_party_and_freezes_nothing()
    {
        var cleared = Assert.IsType<IotAlarmCleared>(Assert.Single(When(Given([.. Active(), Raised(AlarmSeverity.Warning)]), Clear(Warehouse)).Events));
        Assert.False(cleared.Unfroze);
    }

    [Fact]
    public void clearing_needs_a_remark_and_an_open_alarm()
    {
        ThenError(When(Given([.. Active(), Raised()]), Clear(Regulator, remark: " ")), "asset.invalid", "remark");
        ThenError(When(Given(Active()), Clear(Regulator)), "asset.alarm_not_found", "alarmId");
    }

    [Fact]
    public void a_verifier_judges_alarm_events_like_any_other()
    {
        var before = Given(Active());
        Assert.Null(Admissibility.Check(before, Raised(), Actor.SystemActor, _ => null));
        // An alarm recorded under a person's name is one the rules never decide.
        Assert.NotNull(Admissibility.Check(before, Raised() with { By = Warehouse.Id }, Warehouse, _ => null));
        var frozen = Given([.. Active(), Raised()]);
        var clearedByRegulator = new IotAlarmCleared(Asset, "iot-1", true, "ok", [Regulator.Id], Regulator.Id, Now);
        Assert.Null(Admissibility.Check(frozen, clearedByRegulator, Regulator, _ => null));
        // The warehouse alone, while the owner has not agreed, cannot have cleared it.
        Assert.NotNull(Admissibility.Check(frozen, clearedByRegulator with { ClearedBy = [Warehouse.Id], By = Warehouse.Id }, Warehouse, _ => null));
    }

    [Fact]
    public void the_console_offers_clearing_to_who_may_clear_and_no_unfreeze_of_the_alarms_freeze()
    {
        var frozen = Given([.. Active(), Raised()]);
        foreach (var actor in new[] { Regulator, Warehouse, Owner })
        {
            Assert.Contains(Application.Assets.AssetAction.ClearAlarm, Application.Assets.AssetActions.Allowed(actor, frozen, Now));
            Assert.Equal(["iot-1"], Application.Assets.AssetActions.ClearableAlarms(actor, frozen, Now));
        }
        Assert.DoesNotContain(Application.Assets.AssetAction.ClearAlarm, Application.Assets.AssetActions.Allowed(Buyer, frozen, Now));
        Assert.DoesNotContain(Application.Assets.AssetAction.ClearAlarm, Application.Assets.AssetActions.Allowed(Regulator, Given(Active()), Now));
        // The alarm's freeze is lifted by clearing the alarm, never by the unfreeze button.
        Assert.DoesNotContain(Application.Assets.AssetAction.Unfreeze, Application.Assets.AssetActions.Allowed(Regulator, frozen, Now));
        // Once the warehouse has agreed, its own clearance is not asked again; the owner's still is.
        var agreed = Given([.. Active(), Raised(), new IotAlarmClearanceGiven(Asset, "iot-1", "checked", Warehouse.Id, Now)]);
        Assert.Empty(Application.Assets.AssetActions.ClearableAlarms(Warehouse, agreed, Now));
        Assert.Equal(["iot-1"], Application.Assets.AssetActions.ClearableAlarms(Owner, agreed, Now));
    }
}

