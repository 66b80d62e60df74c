using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Domain.Tests.Devices;

/// <summary>
/// Given device events / when a command / then events or a refusal. The common device: <c>wb-1</c>, a weighbridge
/// hosted by warehouse <c>wh-1</c>, watching receipt <see cref="Receipt"/>, confirmed by bank <c>bank-1</c>.
/// </summary>
public static class DeviceSpec
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    public static readonly Actor Host = Actor.Of("wh-1", Role.Warehouse);
    public static readonly Actor OtherHost = Actor.Of("wh-2", Role.Warehouse);
    public static readonly Actor Venue = Actor.Of("bank-1", Role.FinancialInstitution);
    public static readonly Actor Inspector = Actor.Of("reg-1", Role.Regulator);
    public static readonly Actor TheOperator = Actor.Of("operator", Role.Operator);
    public static readonly AssetId Receipt = new(Guid.Parse("0193a8a0-0000-7000-8000-000000000001"));
    public static readonly string KeyA = new('a', 64), KeyB = new('b', 64);

    public static DeviceRegistered Added(string key = "") => new("wb-1", DeviceKind.Weighbridge, "tank farm 3", "Mettler", "MFkw", key is "" ? KeyA : key, Host.Id, T0);
    public static DeviceBound Watches => new("wb-1", Receipt, Host.Id, T0);
    public static DeviceConfirmed Vouched => new("wb-1", KeyA, Venue.Id, T0);

    public static DeviceState Device(params IDeviceEvent[] history) => history.Aggregate(DeviceState.Initial, DeviceState.Evolve);

    public static Decision<IDeviceEvent> Decide(DeviceState state, IDeviceCommand command) => DeviceDecider.Decide(state, command);

    public static void Then(Decision<IDeviceEvent> decision, params IDeviceEvent[] expected)
    {
        Assert.True(decision.Error is null, $"refused: {decision.Error}");
        Assert.Equal(expected.Select(Stored), decision.Events.Select(Stored));
    }

    public static void ThenRefused(Decision<IDeviceEvent> decision, string code, ErrorKind kind)
    {
        Assert.True(decision.Error is not null, "expected a refusal, got " + string.Join(", ", decision.Events.Select(Stored)));
        Assert.Empty(decision.Events);
        Assert.Equal((code, kind), (decision.Error!.Code, decision.Error.Kind));
    }

    static string Stored(IDeviceEvent e)
    {
        var (type, _, json) = EventSerializer.Instance.Serialize(e);
        return $"{type} {json}";
    }
}
