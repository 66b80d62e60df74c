using System.Net;
using System.Security.Cryptography;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.DeviceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issues 18 and 20, the devices read model behind GET /api/v1/devices and the console's device list: each device's row
/// follows its lifecycle (bindings, confirmation, key rotation, suspension) and the list shows a device to exactly the
/// parties the rule for one device (GET /devices/{id}) lets see it: its host, whoever vouched for its current key, the
/// venue holding a watched asset, a regulator; never another warehouse or the goods' owner.
/// </summary>
public sealed class devices_in_lists(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<IReadOnlyList<string>> Listed(string viewer, string query = "")
    {
        await api.ProjectionsCaughtUp();
        var page = await Ok(api.Get($"/api/v1/devices?limit=500{query}", viewer));
        return page.Json["items"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()).ToList();
    }

    [Fact]
    public async Task a_device_is_listed_to_exactly_those_who_may_see_it()
    {
        var (device, receipt, _) = await ConfirmedWeighbridge(api);
        foreach (var viewer in new[] { "wh-1", "bank-1", "reg-1" }) Assert.Contains(device, await Listed(viewer));
        foreach (var viewer in new[] { "wh-2", "owner-a", "tc-1" }) Assert.DoesNotContain(device, await Listed(viewer));
        // The single-device read agrees with the list, viewer by viewer.
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get($"/api/v1/devices/{device}", "wh-2")).Status);

        Assert.Equal([device], await Listed("reg-1", $"&assetId={receipt}"));
        var row = (await Ok(api.Get($"/api/v1/devices?assetId={receipt}", "wh-1"))).Json["items"]![0]!;
        Assert.Equal("bank-1", row["confirmedBy"]!.GetValue<string>());
        Assert.Equal(receipt, row["watchedAssetIds"]![0]!.GetValue<string>());
        Assert.Equal("wh-1", row["hostId"]!.GetValue<string>());

        // The bank gives the receipt back: no longer its venue, it still sees the device it vouched for...
        await Ok(api.Post($"/api/v1/assets/{receipt}/return", "bank-1", new { }));
        Assert.Contains(device, await Listed("bank-1"));
        // ...until the key it vouched for is rotated away.
        await Ok(api.Post($"/api/v1/devices/{device}/key", "wh-1", new { publicKey = Spki(ECDsa.Create(ECCurve.NamedCurves.nistP256)), reason = "replaced" }));
        Assert.DoesNotContain(device, await Listed("bank-1"));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get($"/api/v1/devices/{device}", "bank-1")).Status);
        var rotated = (await Ok(api.Get($"/api/v1/devices?assetId={receipt}", "wh-1"))).Json["items"]![0]!;
        Assert.Null(rotated["confirmedBy"]);

        await Ok(api.Post($"/api/v1/devices/{device}/bindings/remove", "wh-1", new { assetId = receipt }));
        Assert.Empty(await Listed("reg-1", $"&assetId={receipt}"));
        await Ok(api.Post($"/api/v1/devices/{device}/suspension", "wh-1", new { reason = "calibration" }));
        Assert.Contains(device, await Listed("wh-1", "&status=Suspended"));
        Assert.DoesNotContain(device, await Listed("wh-1", "&status=Registered"));
    }

    [Fact]
    public async Task the_list_pages_by_id_and_refuses_what_it_cannot_read()
    {
        for (var i = 0; i < 3; i++) await ConfirmedWeighbridge(api);
        await api.ProjectionsCaughtUp();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await Ok(api.Get($"/api/v1/devices?host=wh-1&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", "wh-1"))).Json;
            seen.AddRange(page["items"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);
        Assert.True(seen.Count >= 3);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(seen.Distinct(), seen);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.Get("/api/v1/devices?status=Lost", "wh-1")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.Get("/api/v1/devices?status=None", "wh-1")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.Get("/api/v1/devices?assetId=nope", "wh-1")).Status);
        Assert.Equal("request.invalid_cursor", (await api.Get("/api/v1/devices?cursor=forged", "wh-1")).Code);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Get("/api/v1/devices?limit=0", "wh-1")).Status);
    }
}
