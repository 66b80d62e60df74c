using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.DeviceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 18, devices and signed readings over HTTP: a warehouse registers a weighbridge and binds it to a receipt it
/// holds; its readings count only once the pledgee bank has confirmed it; every accepted reading is one event in the log
/// (and provable); the tamper corpus (a forged signature, a replay, a reorder, an edited body, a stranger's key, a reading
/// about goods the device does not watch) is refused reading by reading and counted, with nothing written.
/// </summary>
public sealed class devices_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    Task<(string Device, string Receipt, ECDsa Key)> ConfirmedWeighbridge() => DeviceScenario.ConfirmedWeighbridge(api);

    Task<Reply> Deliver(string device, params string[] readings) => api.Post($"/api/v1/devices/{device}/readings", "wh-1", new { readings });

    [Fact]
    public async Task confirmed_readings_are_logged_one_event_per_delivery_and_the_counter_moves_on()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge();
        var sent = new[] { Sign(key, device, 1, receipt), Sign(key, device, 2, receipt) };
        var answer = await Ok(Deliver(device, sent));
        var accepted = answer.Json["accepted"]!.AsArray();
        Assert.Equal([1L, 2L], accepted.Select(a => a!["counter"]!.GetValue<long>()));
        Assert.Empty(answer.Json["refused"]!.AsArray());
        Assert.Equal(2, await Logged(api, device));
        // One event for the delivery: both readings name its position, each its own leaf under the event's Merkle root.
        Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE stream_id = 'device-{device}' AND type = 'device-readings-recorded'"));
        Assert.Single(accepted.Select(a => a!["position"]!.GetValue<long>()).Distinct());
        Assert.Equal([0, 1], accepted.Select(a => a!["leaf"]!.GetValue<int>()));
        var root = await api.Text($"SELECT data->>'root' FROM events WHERE stream_id = 'device-{device}' AND type = 'device-readings-recorded'");
        Assert.All(sent, (m, i) => Assert.True(ReadingBatches.Proves(m, i, 2, ReadingBatches.Path(sent, i), root)));
        // The logged event carries the signed messages: anyone with the device's key checks them later.
        var message = await api.Text($"SELECT r.reading->>'message' {Readings} AND e.stream_id = 'device-{device}' ORDER BY e.version, r.leaf LIMIT 1");
        Assert.Null(SignedReadings.OpenAndVerify(message, Spki(key)).Error);
        var view = (await api.Get($"/api/v1/devices/{device}", "bank-1")).Json;
        Assert.Equal((2L, 2L, "bank-1"), (view["lastCounter"]!.GetValue<long>(), view["readings"]!.GetValue<long>(), view["confirmedBy"]!.GetValue<string>()));
    }

    [Fact]
    public async Task the_tamper_corpus_is_refused_reading_by_reading_and_counted()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge();
        await Ok(Deliver(device, Sign(key, device, 5, receipt)));
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var edited = Convert.FromBase64String(Sign(key, device, 9, receipt));
        edited[^70] ^= 1;
        var other = await Active(api);
        var answer = await Ok(Deliver(device,
            Sign(key, device, 5, receipt),                                  // 0: replay
            Sign(key, device, 4, receipt),                                  // 1: reorder (backward)
            Sign(stranger, device, 6, receipt),                             // 2: a stranger's key
            Convert.ToBase64String(edited),                                 // 3: an edited message
            Sign(key, device, 7, other),                                    // 4: goods the device does not watch
            Sign(key, device, 8, receipt, DateTimeOffset.UtcNow.AddHours(-30)), // 5: outside the window
            Sign(key, device, 10, receipt)));                               // 6: good
        var refused = answer.Json["refused"]!.AsArray().ToDictionary(r => r!["index"]!.GetValue<int>(), r => r!["code"]!.GetValue<string>());
        Assert.Equal("reading.replayed", refused[0]);
        Assert.Equal("reading.replayed", refused[1]);
        Assert.Equal("reading.unknown_key", refused[2]);
        Assert.True(refused[3] is "reading.bad_signature" or "reading.malformed", refused[3]);
        Assert.Equal("reading.asset_not_watched", refused[4]);
        Assert.Equal("reading.outside_window", refused[5]);
        Assert.Equal(6, Assert.Single(answer.Json["accepted"]!.AsArray())!["index"]!.GetValue<int>());
        Assert.Equal(2, await Logged(api, device));
        var counts = (await api.Get($"/api/v1/devices/{device}", "wh-1")).Json["refusedReadings"]!.AsObject();
        Assert.Equal(2, counts["reading.replayed"]!.GetValue<long>());
        Assert.Equal(6, counts.Sum(c => c.Value!.GetValue<long>()));
    }

    [Fact]
    public async Task an_unconfirmed_device_counts_for_nothing_and_its_host_cannot_vouch_for_it()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var device = $"wb-{Guid.NewGuid():N}"[..20];
        var receipt = await Active(api);
        await api.Post("/api/v1/devices", "wh-1", new { id = device, kind = "Weighbridge", site = "yard", make = "Acme", publicKey = Spki(key) });
        await Ok(api.Post($"/api/v1/devices/{device}/bindings", "wh-1", new { assetId = receipt }));
        Assert.Equal("device.cannot_confirm", (await api.Post($"/api/v1/devices/{device}/confirmations", "wh-1", new { })).Code);
        // A bank with no stake in the watched goods cannot vouch either (it does not even see the device).
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get($"/api/v1/devices/{device}", "bank-1")).Status);
        Assert.Equal("device.cannot_confirm", (await api.Post($"/api/v1/devices/{device}/confirmations", "bank-1", new { })).Code);
        var answer = await Ok(Deliver(device, Sign(key, device, 1, receipt)));
        Assert.Equal("reading.unconfirmed_key", answer.Json["refused"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(0, await Logged(api, device));
    }

    [Fact]
    public async Task a_rotated_key_is_revoked_and_the_new_one_waits_for_its_confirmation()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge();
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await Ok(api.Post($"/api/v1/devices/{device}/key", "wh-1", new { publicKey = Spki(next), reason = "scheduled rotation" }));
        var before = await Ok(Deliver(device, Sign(key, device, 1, receipt), Sign(next, device, 2, receipt)));
        Assert.Equal(["reading.revoked_key", "reading.unconfirmed_key"], before.Json["refused"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()));
        await Ok(api.Post($"/api/v1/devices/{device}/confirmations", "reg-1", new { }));
        Assert.Single((await Ok(Deliver(device, Sign(next, device, 3, receipt)))).Json["accepted"]!.AsArray());
    }

    [Fact]
    public async Task bad_requests_are_problems_that_change_nothing()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.Post("/api/v1/devices", "wh-1", new { id = "wb-x1", kind = "Weighbridge", site = "s", make = "m", publicKey = "bm90IGEga2V5" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Post("/api/v1/devices", "bank-1", new { id = "wb-x2", kind = "Weighbridge", site = "s", make = "m", publicKey = Spki(key) })).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.Post($"/api/v1/devices/{device}/readings", "wh-1", new { readings = Array.Empty<string>() })).Status);
        // Only the host (or the operator) delivers readings.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Post($"/api/v1/devices/{device}/readings", "bank-1", new { readings = new[] { Sign(key, device, 1, receipt) } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Post("/api/v1/devices/no-such-device/readings", "wh-1", new { readings = new[] { "AA==" } })).Status);
        // A device never watches goods another warehouse holds.
        var elsewhere = await api.Post("/api/v1/assets", "owner-a", new { kind = "WarehouseReceipt", ownerId = "owner-a", warehouseId = "wh-2", receiptNumber = $"WR-{Guid.NewGuid():N}", commodity = "copper", quantity = "5", unit = "t" });
        Assert.Equal("device.asset_not_held", (await api.Post($"/api/v1/devices/{device}/bindings", "wh-1", new { assetId = elsewhere.Json["assetId"]!.GetValue<string>() })).Code);
        Assert.Equal(0, await Logged(api, device));
    }
}
