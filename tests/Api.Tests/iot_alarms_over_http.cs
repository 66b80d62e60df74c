using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 18 item 4, alarm rules over HTTP: the operator's versioned rules; a tank gauge reading a short level three times
/// freezes the pledged receipt (authority IotAlarm) so that nothing moves it; no one lifts that freeze by unfreezing it;
/// the warehouse and the bank clear it together. A forged reading raises an integrity alarm; a network retry does not.
/// An alarm racing a transfer-out lands on one side of it, never both.
/// </summary>
public sealed class iot_alarms_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static string Spki(ECDsa key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    Task<Reply> Put(string path, string participant, object body) => api.Send(HttpMethod.Put, path, participant, JsonSerializer.Serialize(body));

    /// <summary>Sets a rule for one test and retires it after: the rule book is the whole registry's, shared by this class's tests.</summary>
    async Task WithRule(string id, object body, Func<Task> test)
    {
        await Ok(Put($"/api/v1/alarm-rules/{id}", "operator", body));
        try { await test(); }
        finally { await Ok(api.Post($"/api/v1/alarm-rules/{id}/retirement", "operator", new { reason = "end of test" })); }
    }

    /// <summary>A tank gauge watching a fresh Active receipt (1200.5 bbl), confirmed by the regulator; pledged to bank-1 if asked.</summary>
    async Task<(string Device, string Receipt, ECDsa Key)> Gauge(bool pledged)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var device = $"tl-{Guid.NewGuid():N}"[..20];
        var receipt = await Active(api);
        Assert.Equal(HttpStatusCode.Created, (await api.Post("/api/v1/devices", "wh-1", new { id = device, kind = "TankLevel", site = "tank 7", make = "Endress", publicKey = Spki(key) })).Status);
        await Ok(api.Post($"/api/v1/devices/{device}/bindings", "wh-1", new { assetId = receipt }));
        if (pledged) await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await Ok(api.Post($"/api/v1/devices/{device}/confirmations", "reg-1", new { }));
        return (device, receipt, key);
    }

    static string Level(ECDsa key, string device, long counter, string receipt, string level) =>
        SignedReadings.Sign(key, device, counter, DateTimeOffset.UtcNow.AddSeconds(-1), receipt, new Measurements { Level = level, Unit = "bbl" });

    Task<Reply> Deliver(string device, params string[] readings) => api.Post($"/api/v1/devices/{device}/readings", "wh-1", new { readings });

    [Fact]
    public async Task only_the_operator_writes_rules_and_each_change_is_a_new_version()
    {
        var rule = new { condition = "QuantityDeviation", severity = "Warning", assetKind = "WarehouseReceipt", deviceKind = "Weighbridge", deviationPercent = "5", readings = 2 };
        Assert.Equal(HttpStatusCode.Forbidden, (await Put("/api/v1/alarm-rules/heavy", "wh-1", rule)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Put("/api/v1/alarm-rules/heavy", "reg-1", rule)).Status);
        await Ok(Put("/api/v1/alarm-rules/heavy", "operator", rule));
        await Ok(Put("/api/v1/alarm-rules/heavy", "operator", rule with { deviationPercent = "4" }));
        var again = await Put("/api/v1/alarm-rules/heavy", "operator", rule with { deviationPercent = "4" });
        Assert.Equal("alarm.no_change", again.Code);
        var invalid = await Put("/api/v1/alarm-rules/heavy", "operator", rule with { deviationPercent = "150" });
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "deviationPercent"), (invalid.Status, invalid.Json["field"]!.GetValue<string>()));
        var book = (await api.Get("/api/v1/alarm-rules", "bank-1")).Json["rules"]!.AsArray();
        var heavy = book.Single(r => r!["id"]!.GetValue<string>() == "heavy")!;
        Assert.Equal((2, "4"), (heavy["version"]!.GetValue<int>(), heavy["deviationPercent"]!.GetValue<string>()));
        await Ok(api.Post("/api/v1/alarm-rules/heavy/retirement", "operator", new { reason = "replaced by site rules" }));
    }

    [Fact]
    public async Task in_the_console_the_alarm_shows_on_the_asset_page_and_the_warehouse_and_the_bank_clear_it_by_form()
    {
        await WithRule("short-level-console", new { condition = "QuantityDeviation", severity = "Critical", assetKind = "WarehouseReceipt", deviceKind = "TankLevel", deviationPercent = "2", readings = 1 }, async () =>
        {
            var (device, receipt, key) = await Gauge(pledged: true);
            var alarmId = Assert.Single((await Ok(Deliver(device, Level(key, device, 1, receipt, "1000")))).Json["alarms"]!.AsArray())!["alarmId"]!.GetValue<string>();
            var page = $"/console/assets/{receipt}";
            using var owner = await ConsoleClient.SignedIn(api, "owner-a");
            var seen = await owner.Get(page);
            Assert.Contains($"<tr data-alarm=\"{alarmId}\">", seen.Html);
            Assert.DoesNotContain("clearalarm", seen.Actions()); // pledged: the bank, not the owner, clears with the warehouse

            foreach (var (who, remark) in new[] { ("wh-1", "Gauge re-calibrated; manual dip 1200.4 bbl"), ("bank-1", "Read the dip report") })
            {
                using var party = await ConsoleClient.SignedIn(api, who);
                var form = await party.Get(page);
                Assert.Contains("clearalarm", form.Actions());
                var done = await party.Post($"{page}?handler=clearalarm", form.Form("clearalarm"), ("alarmId", alarmId), ("remark", remark));
                Assert.True(done.Status == System.Net.HttpStatusCode.Redirect, done.ToString());
                Assert.DoesNotContain("clearalarm", (await party.Get(page)).Actions()); // its part is given
            }
            var trace = await api.Text($"SELECT string_agg(type, ',' ORDER BY version) FROM events WHERE stream_id = 'asset-{receipt}'");
            Assert.EndsWith("asset-iot-alarm-raised,asset-iot-alarm-clearance-given,asset-iot-alarm-cleared", trace);
        });
    }

    [Fact]
    public async Task a_short_level_freezes_the_pledged_receipt_until_the_warehouse_and_the_bank_clear_it()
    {
        await WithRule("short-level", new { condition = "QuantityDeviation", severity = "Critical", assetKind = "WarehouseReceipt", deviceKind = "TankLevel", deviationPercent = "2", readings = 3 }, async () =>
        {
            var (device, receipt, key) = await Gauge(pledged: true);
            var first = await Ok(Deliver(device, Level(key, device, 1, receipt, "1200.4"), Level(key, device, 2, receipt, "1100"), Level(key, device, 3, receipt, "1100")));
            Assert.Empty(first.Json["alarms"]!.AsArray()); // two short readings are not yet three
            var third = await Ok(Deliver(device, Level(key, device, 4, receipt, "1099.5")));
            var alarm = Assert.Single(third.Json["alarms"]!.AsArray())!;
            var alarmId = alarm["alarmId"]!.GetValue<string>();
            Assert.Equal(("short-level", "Critical"), (alarm["ruleId"]!.GetValue<string>(), alarm["severity"]!.GetValue<string>()));

            var open = Assert.Single((await Ok(api.Get($"/api/v1/assets/{receipt}/alarms", "bank-1"))).Json["open"]!.AsArray())!;
            Assert.True(open["freezes"]!.GetValue<bool>());
            Assert.Equal(["wh-1", "bank-1"], open["clearingParties"]!.AsArray().Select(p => p!.GetValue<string>()));
            // Frozen like any freeze: the bank cannot hand it back, the warehouse cannot release or cancel it.
            Assert.Equal("asset.frozen", (await api.Post($"/api/v1/assets/{receipt}/return", "bank-1", new { })).Code);
            Assert.Equal("asset.locked", (await api.Post($"/api/v1/assets/{receipt}/cancel", "wh-1", new { reason = "shipped" })).Code);
            // Nobody lifts it by unfreezing, not even a regulator: it is cleared, with a remark, or it stays.
            Assert.Equal("asset.iot_freeze", (await api.Post($"/api/v1/assets/{receipt}/unfreeze", "reg-1", new { freezeId = alarmId, reason = "x" })).Code);
            Assert.Equal("asset.not_permitted", (await api.Post($"/api/v1/assets/{receipt}/alarms/{alarmId}/clearances", "owner-a", new { remark = "fine" })).Code);

            await Ok(api.Post($"/api/v1/assets/{receipt}/alarms/{alarmId}/clearances", "wh-1", new { remark = "Gauge re-calibrated; manual dip 1200.4 bbl" }));
            Assert.Equal("asset.frozen", (await api.Post($"/api/v1/assets/{receipt}/return", "bank-1", new { })).Code); // one party is not enough
            await Ok(api.Post($"/api/v1/assets/{receipt}/alarms/{alarmId}/clearances", "bank-1", new { remark = "Read the dip report" }));
            Assert.Empty((await Ok(api.Get($"/api/v1/assets/{receipt}/alarms", "bank-1"))).Json["open"]!.AsArray());
            await Ok(api.Post($"/api/v1/assets/{receipt}/return", "bank-1", new { }));
            var trace = await api.Text($"SELECT string_agg(type, ',' ORDER BY version) FROM events WHERE stream_id = 'asset-{receipt}'");
            Assert.EndsWith("asset-iot-alarm-raised,asset-iot-alarm-clearance-given,asset-iot-alarm-cleared,asset-returned", trace);
        });
    }

    [Fact]
    public async Task a_forged_reading_raises_an_integrity_alarm_and_a_network_retry_does_not()
    {
        await WithRule("tamper", new { condition = "Integrity", severity = "Warning", deviceKind = "TankLevel" }, async () =>
        {
            var (device, receipt, key) = await Gauge(pledged: false);
            var good = Level(key, device, 1, receipt, "1200.5");
            await Ok(Deliver(device, good));
            var retry = await Ok(Deliver(device, good));
            Assert.Equal("reading.replayed", retry.Json["refused"]![0]!["code"]!.GetValue<string>());
            Assert.Empty(retry.Json["alarms"]!.AsArray());
            using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var forged = await Ok(Deliver(device, Level(stranger, device, 2, receipt, "1200.5")));
            var alarm = Assert.Single(forged.Json["alarms"]!.AsArray())!;
            Assert.Equal(("tamper", "Warning"), (alarm["ruleId"]!.GetValue<string>(), alarm["severity"]!.GetValue<string>()));
            Assert.False((await api.Get($"/api/v1/assets/{receipt}", "owner-a")).Json["frozen"]?.GetValue<bool>() ?? false);
            // A warning is acknowledged by one of the parties.
            await Ok(api.Post($"/api/v1/assets/{receipt}/alarms/{alarm["alarmId"]!.GetValue<string>()}/clearances", "wh-1", new { remark = "A test key, not ours" }));
        });
    }

    [Fact]
    public async Task in_one_delivery_a_bad_reading_is_refused_alone_and_a_counter_gap_freezes_the_receipt()
    {
        await WithRule("batch-integrity", new { condition = "Integrity", severity = "Critical", deviceKind = "TankLevel" }, async () =>
        {
            var (device, receipt, key) = await Gauge(pledged: true);
            using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var answer = await Ok(Deliver(device, Level(key, device, 1, receipt, "1200.5"), Level(stranger, device, 2, receipt, "1200.5"),
                Level(key, device, 3, receipt, "1200.5"), Level(key, device, 3, receipt, "1200.5"), Level(key, device, 7, receipt, "1200.5")));
            // Each reading stands or falls on its own, in the order sent; the rest of the delivery is one event.
            Assert.Equal([(0, 1L, 0), (2, 3L, 1), (4, 7L, 2)], answer.Json["accepted"]!.AsArray().Select(a => (a!["index"]!.GetValue<int>(), a["counter"]!.GetValue<long>(), a["leaf"]!.GetValue<int>())));
            Assert.Equal([(1, "reading.unknown_key"), (3, "reading.replayed")], answer.Json["refused"]!.AsArray().Select(r => (r!["index"]!.GetValue<int>(), r["code"]!.GetValue<string>())));
            Assert.Equal([1L, 3, 7], await DeviceScenario.Counters(api, device));
            Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE stream_id = 'device-{device}' AND type = 'device-readings-recorded'"));
            // The gaps inside the delivery (3 after 1, 7 after 3) and the refusals raise the critical alarm, which freezes the receipt.
            Assert.Equal("Critical", Assert.Single(answer.Json["alarms"]!.AsArray())!["severity"]!.GetValue<string>());
            Assert.Equal("asset.frozen", (await api.Post($"/api/v1/assets/{receipt}/return", "bank-1", new { })).Code);
            Assert.Contains("reading.counter_gap", await api.Text($"SELECT data::text FROM events WHERE stream_id = 'asset-{receipt}' AND type = 'asset-iot-alarm-raised'"));
        });
    }

    [Fact]
    public async Task an_alarm_racing_a_transfer_out_lands_before_or_after_it_never_both_ways()
    {
        await WithRule("short-level-race", new { condition = "QuantityDeviation", severity = "Critical", deviceKind = "TankLevel", deviationPercent = "2", readings = 2 }, async () =>
        {
            for (var round = 0; round < 4; round++)
            {
                var (device, receipt, key) = await Gauge(pledged: false);
                await Ok(Deliver(device, Level(key, device, 1, receipt, "1000")));
                var reading = Deliver(device, Level(key, device, 2, receipt, "1000"));
                var pledge = api.Post($"/api/v1/assets/{receipt}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" });
                await Task.WhenAll(reading, pledge);
                var types = (await api.Text($"SELECT string_agg(type, ',' ORDER BY version) FROM events WHERE stream_id = 'asset-{receipt}'")).Split(',');
                var raised = Array.IndexOf(types, "asset-iot-alarm-raised");
                var pledged = Array.IndexOf(types, "asset-transferred-out");
                Assert.True(raised >= 0, string.Join(",", types)); // the alarm is always raised: an Active receipt, out or not, is frozen
                if (pledged >= 0) Assert.True(pledged < raised, $"a transfer-out after the freeze: {string.Join(",", types)}");
                else Assert.Equal("asset.locked", (await pledge).Code);
                Assert.Equal(pledged >= 0, (await pledge).Status == HttpStatusCode.OK);
            }
        });
    }
}
