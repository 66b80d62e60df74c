using AssetLedger.Domain.Devices;
using static AssetLedger.Domain.Tests.Devices.DeviceSpec;

namespace AssetLedger.Domain.Tests.Devices;

public class managing_devices
{
    static RegisterDevice Register(Actor by, string id = "wb-1") => new(id, DeviceKind.Weighbridge, "tank farm 3", "Mettler", "MFkw", KeyA, by, T0);

    [Fact]
    public void a_warehouse_registers_the_device_it_hosts() =>
        Then(Decide(Device(), Register(Host)), Added());

    [Theory]
    [InlineData("bank")]
    [InlineData("operator")]
    public void only_a_warehouse_registers_devices(string who) =>
        ThenRefused(Decide(Device(), Register(who == "bank" ? Venue : TheOperator)), "device.not_warehouse", ErrorKind.Forbidden);

    [Theory]
    [InlineData("WB 1")]
    [InlineData("-wb")]
    [InlineData("")]
    public void an_id_outside_its_pattern_is_refused(string id) =>
        ThenRefused(Decide(Device(), Register(Host, id)), "device.invalid", ErrorKind.Invalid);

    [Fact]
    public void an_id_is_registered_once() =>
        ThenRefused(Decide(Device(Added()), Register(OtherHost)), "device.exists", ErrorKind.Conflict);

    [Fact]
    public void a_key_id_that_is_not_a_sha256_is_refused() =>
        ThenRefused(Decide(Device(), Register(Host) with { KeyId = "ab" }), "device.invalid", ErrorKind.Invalid);

    [Fact]
    public void the_host_binds_goods_in_its_own_custody() =>
        Then(Decide(Device(Added()), new BindDevice("wb-1", Receipt, Host.Id, Host, T0)), Watches);

    [Fact]
    public void a_device_never_watches_goods_another_warehouse_holds() =>
        ThenRefused(Decide(Device(Added()), new BindDevice("wb-1", Receipt, OtherHost.Id, Host, T0)), "device.asset_not_held", ErrorKind.Conflict);

    [Fact]
    public void another_warehouse_cannot_bind_a_device_it_does_not_host() =>
        ThenRefused(Decide(Device(Added()), new BindDevice("wb-1", Receipt, OtherHost.Id, OtherHost, T0)), "device.not_host", ErrorKind.Forbidden);

    [Fact]
    public void a_regulator_confirms_a_device() =>
        Then(Decide(Device(Added(), Watches), new ConfirmDevice("wb-1", new HashSet<ParticipantId>(), Inspector, T0)), Vouched with { By = Inspector.Id });

    [Fact]
    public void the_bank_holding_a_watched_asset_confirms_it() =>
        Then(Decide(Device(Added(), Watches), new ConfirmDevice("wb-1", new HashSet<ParticipantId> { Venue.Id }, Venue, T0)), Vouched);

    [Fact]
    public void a_bank_with_no_stake_in_the_watched_goods_cannot_confirm() =>
        ThenRefused(Decide(Device(Added(), Watches), new ConfirmDevice("wb-1", new HashSet<ParticipantId>(), Venue, T0)), "device.cannot_confirm", ErrorKind.Forbidden);

    [Fact]
    public void the_host_never_vouches_for_its_own_device_even_as_a_venue()
    {
        var both = Actor.Of("wh-1", Role.Warehouse, Role.Regulator);
        ThenRefused(Decide(Device(Added(), Watches), new ConfirmDevice("wb-1", new HashSet<ParticipantId> { both.Id }, both, T0)), "device.cannot_confirm", ErrorKind.Forbidden);
    }

    [Fact]
    public void a_rotated_key_needs_a_confirmation_of_its_own()
    {
        var rotated = Device(Added(), Watches, Vouched, new DeviceKeyRotated("wb-1", "MFkx", KeyB, "key leaked", Host.Id, T0));
        Assert.False(rotated.IsConfirmed);
        Assert.Contains(KeyA, rotated.RetiredKeys);
        Then(Decide(rotated, new ConfirmDevice("wb-1", new HashSet<ParticipantId>(), Inspector, T0)), new DeviceConfirmed("wb-1", KeyB, Inspector.Id, T0));
    }

    [Fact]
    public void a_retired_key_never_comes_back()
    {
        var rotated = Device(Added(), new DeviceKeyRotated("wb-1", "MFkx", KeyB, "key leaked", Host.Id, T0));
        ThenRefused(Decide(rotated, new RotateDeviceKey("wb-1", "MFkw", KeyA, "oops", Host, T0)), "device.key_reused", ErrorKind.Conflict);
    }

    [Fact]
    public void a_warehouse_cannot_lift_a_regulators_suspension()
    {
        var suspended = Device(Added(), new DeviceSuspended("wb-1", "tampering suspected", Inspector.Id, T0));
        ThenRefused(Decide(suspended, new ReinstateDevice("wb-1", Host, T0)), "device.suspended_by_other", ErrorKind.Forbidden);
        Then(Decide(suspended, new ReinstateDevice("wb-1", Inspector, T0)), new DeviceReinstated("wb-1", Inspector.Id, T0));
    }

    [Fact]
    public void a_decommissioned_device_is_gone_for_good()
    {
        var gone = Device(Added(), new DeviceDecommissioned("wb-1", "replaced", Host.Id, T0));
        ThenRefused(Decide(gone, new ReinstateDevice("wb-1", Host, T0)), "device.not_suspended", ErrorKind.Conflict);
        ThenRefused(Decide(gone, new RotateDeviceKey("wb-1", "MFkx", KeyB, "new", Host, T0)), "device.inactive", ErrorKind.Conflict);
        ThenRefused(Decide(gone, new BindDevice("wb-1", Receipt, Host.Id, Host, T0)), "device.inactive", ErrorKind.Conflict);
    }

    [Fact]
    public void a_suspension_needs_a_reason() =>
        ThenRefused(Decide(Device(Added()), new SuspendDevice("wb-1", " ", Host, T0)), "device.invalid", ErrorKind.Invalid);

    [Fact]
    public void a_replayed_state_equals_the_state_it_replays()
    {
        IDeviceEvent[] history = [Added(), Watches, Vouched, new DeviceKeyRotated("wb-1", "MFkx", KeyB, "leak", Host.Id, T0)];
        Assert.Equal(Device(history), Device(history));
        Assert.NotEqual(Device(history), Device(history[..3]));
    }
}
