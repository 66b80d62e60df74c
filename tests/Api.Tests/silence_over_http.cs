using System.Text.Json;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.DeviceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>The registry's clock, moved on by the test: a device's silence is minutes long, a test is not.</summary>
public sealed class ShiftedClock : IClock
{
    public TimeSpan Offset { get; set; }
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow + Offset;
}

/// <summary>An API whose silence sweep runs every 200 ms on a clock the test moves on.</summary>
public sealed class SilenceApi : IAsyncLifetime
{
    public ShiftedClock Clock { get; } = new();
    public LogCapture Logs { get; } = new();
    public ApiServer Api { get; }

    public SilenceApi() => Api = new ApiServer
    {
        Settings = new Dictionary<string, string> { ["AssetLedger:Devices:SilenceSweepInterval"] = "00:00:00.200" },
        ConfigureServices = s => s.AddSingleton<IClock>(Clock).AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs),
    };

    public Task InitializeAsync() => Api.InitializeAsync();
    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// Issue 18, the silence rule over HTTP with the real sweep (IotSilenceWorker): a confirmed weighbridge that stops
/// sending for longer than the operator's rule allows raises a critical alarm on the receipt it watches, which freezes it,
/// once however many sweeps find the same silence. (It found that every sweep failed: the device directory read a table
/// migration 0008 had dropped.)
/// </summary>
public sealed class silence_over_http(SilenceApi fixture) : IClassFixture<SilenceApi>
{
    readonly ApiServer api = fixture.Api;

    [Fact]
    public async Task a_device_silent_longer_than_the_rule_allows_freezes_the_receipt_it_watches_once()
    {
        await Cast(api);
        var (device, receipt, key) = await ConfirmedWeighbridge(api);
        await Ok(api.Post($"/api/v1/devices/{device}/readings", "wh-1", new { readings = new[] { Sign(key, device, 1, receipt) } }));
        await Ok(api.Send(HttpMethod.Put, "/api/v1/alarm-rules/quiet-weighbridge", "operator",
            JsonSerializer.Serialize(new { condition = "Silence", severity = "Critical", assetKind = "WarehouseReceipt", deviceKind = "Weighbridge", minutes = 5 })));
        // Every token the test needs is taken before the clock moves (a token issued on the moved clock is not valid yet).
        foreach (var p in new[] { "operator", "owner-a", "wh-1", "tc-1", "bank-1", "reg-1" }) await api.Token(p);

        fixture.Clock.Offset = TimeSpan.FromMinutes(6);

        await Eventually.WaitUntil(async () => (await api.Get($"/api/v1/assets/{receipt}/alarms", "bank-1")).Json["open"]!.AsArray().Count > 0, "the silence alarm on the receipt");
        var alarm = Assert.Single((await api.Get($"/api/v1/assets/{receipt}/alarms", "bank-1")).Json["open"]!.AsArray())!;
        Assert.Equal(("Silence", "Critical", device, true), (alarm["condition"]!.GetValue<string>(), alarm["severity"]!.GetValue<string>(), alarm["device"]!.GetValue<string>(), alarm["freezes"]!.GetValue<bool>()));
        var freezes = (await api.Get($"/api/v1/assets/{receipt}", "bank-1")).Json["freezes"]!.AsArray();
        Assert.Equal("IotAlarm", Assert.Single(freezes)!["authority"]!.GetValue<string>());
        // Later sweeps find the same silence and raise nothing more: a second device, confirmed after the alarm and then
        // silent in turn, shows that a sweep ran after it.
        var (other, otherReceipt, _) = await ConfirmedWeighbridge(api);
        fixture.Clock.Offset = TimeSpan.FromMinutes(12);
        await Eventually.WaitUntil(async () => (await api.Get($"/api/v1/assets/{otherReceipt}/alarms", "bank-1")).Json["open"]!.AsArray().Count > 0, $"the silence alarm of {other}");
        Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE stream_id = 'asset-{receipt}' AND type = 'asset-iot-alarm-raised'"));
        // Not one sweep failed (each listed the devices from a table migration 0008 had dropped).
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Message.Contains("silence sweep failed", StringComparison.Ordinal));
    }
}
