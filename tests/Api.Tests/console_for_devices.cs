using System.Net;
using System.Security.Cryptography;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.DeviceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 20, the device pages: a warehouse registers a device and binds a receipt by form, the bank holding the receipt
/// confirms the key by form, and each viewer is offered exactly the device commands the decider would take from it now;
/// a device is not there for a party outside its circle, in the list or by its address.
/// </summary>
public sealed class console_for_devices(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_device_is_registered_bound_and_confirmed_by_forms_each_party_offered_only_its_own_actions()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var device = $"wb-{Guid.NewGuid():N}"[..20];
        using var wh = await ConsoleClient.SignedIn(api, "wh-1");
        var list = await wh.Get("/console/devices");
        Assert.Contains("registerdevice", list.Actions());
        // A key that is no key is the API's refusal, and nothing is written.
        var bad = await wh.Post("/console/devices?handler=register", list.Form("registerdevice"),
            ("id", device), ("kind", "Weighbridge"), ("site", "tank farm 3"), ("make", "Mettler"), ("publicKey", "bm90IGEga2V5"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Equal(0, await api.Scalar($"SELECT count(*) FROM events WHERE stream_id = 'device-{device}'"));
        // The refusal comes back with the form drawn again, under a new key (the old one is spent on the refused request).
        var registered = await wh.Post("/console/devices?handler=register", bad.Form("registerdevice"),
            ("id", device), ("kind", "Weighbridge"), ("site", "tank farm 3"), ("make", "Mettler"), ("publicKey", Spki(key)));
        Assert.True(registered.Status == HttpStatusCode.Redirect && registered.Location == $"/console/devices/{device}", registered.ToString());

        var receipt = await Active(api);
        var page = await wh.Get($"/console/devices/{device}");
        // The host binds, rotates, suspends, decommissions; it never vouches for its own device.
        Assert.Equal(["bind", "rotatekey", "suspenddevice", "decommission"], page.Actions());
        var bound = await wh.Post($"/console/devices/{device}?handler=bind", page.Form("bind"), ("assetId", receipt));
        Assert.True(bound.Status == HttpStatusCode.Redirect, bound.ToString());
        await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await api.ProjectionsCaughtUp();

        using var bank = await ConsoleClient.SignedIn(api, "bank-1");
        Assert.Contains($"data-device=\"{device}\"", (await bank.Get("/console/devices")).Html);
        var bankPage = await bank.Get($"/console/devices/{device}");
        Assert.Equal(["confirmdevice"], bankPage.Actions());
        var confirmed = await bank.Post($"/console/devices/{device}?handler=confirm", bankPage.Form("confirmdevice"));
        Assert.True(confirmed.Status == HttpStatusCode.Redirect, confirmed.ToString());
        Assert.Equal("bank-1", (await Ok(api.Get($"/api/v1/devices/{device}", "wh-1"))).Json["confirmedBy"]!.GetValue<string>());
        // The same form again is the first answer replayed; and with the key confirmed, the bank has nothing left to do.
        var again = await bank.Post($"/console/devices/{device}?handler=confirm", bankPage.Form("confirmdevice"));
        Assert.True(again.Status == HttpStatusCode.Redirect && again.Replayed, again.ToString());
        Assert.Empty((await bank.Get($"/console/devices/{device}")).Actions());
        Assert.Contains("data-confirmed=\"bank-1\"", (await wh.Get($"/console/devices/{device}")).Html);

        // The goods' owner and another warehouse: no such device.
        foreach (var stranger in new[] { "owner-a", "wh-2" })
        {
            using var other = await ConsoleClient.SignedIn(api, stranger);
            Assert.Equal(HttpStatusCode.NotFound, (await other.Get($"/console/devices/{device}")).Status);
            Assert.DoesNotContain($"data-device=\"{device}\"", (await other.Get("/console/devices")).Html);
            Assert.Equal(HttpStatusCode.NotFound, (await other.Post($"/console/devices/{device}?handler=suspend", (await other.Get("/console/password")).Form(), ("reason", "mischief"))).Status);
        }

        // A suspension by the regulator is lifted only by it (or the operator): the host is no longer offered it.
        using var reg = await ConsoleClient.SignedIn(api, "reg-1");
        var regPage = await reg.Get($"/console/devices/{device}");
        Assert.Equal(HttpStatusCode.Redirect, (await reg.Post($"/console/devices/{device}?handler=suspend", regPage.Form("suspenddevice"), ("reason", "seal broken"))).Status);
        Assert.DoesNotContain("reinstatedevice", (await wh.Get($"/console/devices/{device}")).Actions());
        Assert.Contains("reinstatedevice", (await reg.Get($"/console/devices/{device}")).Actions());
    }
}
