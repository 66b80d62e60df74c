using System.Text.RegularExpressions;
using AssetLedger.Api.Tests.Support;
using Microsoft.Playwright;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The receipt's life walked by clicking, in real chromium, each person in a browser context of its own: register,
/// confirm, pledge, return, offer, accept, freeze, unfreeze, cancel, trace, download the bundle; every page scanned by
/// axe-core and photographed; the same page in both languages; only the buttons the rules allow.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class console_in_a_browser(ApiServer api, ConsoleBrowser browser) : IClassFixture<ApiServer>, IClassFixture<ConsoleBrowser>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static ILocator Action(IPage page, string action) => page.Locator($"form[data-action={action}]");

    static async Task Submit(IPage page, string action, string? button = null)
    {
        var form = Action(page, action);
        // The answer is a new document: mark this one, and poll until the page holds another whose DOM is parsed. Waiting on
        // Playwright's load-state events ran out in full runs with the network idle (the same loss as the sign-in's wait).
        await page.EvaluateAsync("() => { window.__submitted = true; }");
        await (button is null ? form.Locator("button[type=submit]") : form.Locator($"button[value={button}]")).ClickAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await NewDocument(page))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(120)) throw new Xunit.Sdk.XunitException($"{action}: no answer page in 120 s; at {page.Url}");
            await Task.Delay(100);
        }
        Assert.True(await page.Locator("p.done").CountAsync() == 1, $"{action} at {page.Url}: {await page.Locator("body").InnerTextAsync()}");
    }

    static async Task<bool> NewDocument(IPage page)
    {
        try { return await page.EvaluateAsync<bool>("() => window.__submitted !== true && document.readyState !== 'loading'"); }
        catch (PlaywrightException) { return false; } // between documents: ask again
    }

    static async Task<IReadOnlyList<string?>> Buttons(IPage page) =>
        await page.Locator("form[data-action]").EvaluateAllAsync<string?[]>("forms => forms.map(f => f.dataset.action)");

    [Fact]
    public async Task a_receipt_lives_its_whole_life_by_clicking_in_both_languages()
    {
        var number = $"WR-{Guid.NewGuid():N}"[..16];
        var owner = await browser.SignedIn(api, "owner-a");
        await ConsoleBrowser.Check(owner, "01-owner-dashboard");

        // Register: the form's own validation message first, the API's words.
        await owner.GotoAsync("/console/register");
        await owner.GetByLabel("Warehouse").FillAsync("wh-1");
        await owner.GetByLabel("Receipt number").FillAsync(number);
        await owner.GetByLabel("Commodity").FillAsync("crude oil");
        await owner.GetByLabel("Quantity").FillAsync("1200.50");
        await owner.GetByLabel("Unit").FillAsync("bbl");
        await ConsoleBrowser.Check(owner, "02-register");
        await owner.Locator("main button[type=submit]").ClickAsync();
        await owner.WaitForURLAsync(new Regex("/console/assets/[0-9a-f]{32}$"));
        var assetUrl = new Uri(owner.Url).AbsolutePath;
        await Assertions.Expect(owner.Locator("dd.exact")).ToHaveTextAsync("1200.5 bbl");
        Assert.Empty(await Buttons(owner)); // pending: the owner confirms nothing and may not yet offer or pledge
        await ConsoleBrowser.Check(owner, "03-asset-pending");

        // A stranger to the asset cannot see it at all, as over the API.
        var buyer = await browser.SignedIn(api, "buyer-b");
        var hidden = await buyer.GotoAsync(assetUrl);
        Assert.Equal(404, hidden!.Status);

        // The warehouse finds it among the confirmations it must give, and confirms it; so does the trading center.
        var warehouse = await browser.SignedIn(api, "wh-1");
        await api.ProjectionsCaughtUp();
        await warehouse.GotoAsync(warehouse.Url); // a navigation, not Page.reload, which a sign-in still settling can leave "not attached"
        await Assertions.Expect(warehouse.Locator("section[aria-labelledby=to-confirm]").GetByText(number[..10], new() { Exact = false })).ToBeVisibleAsync();
        await ConsoleBrowser.Check(warehouse, "04-warehouse-dashboard");
        await warehouse.GotoAsync(assetUrl);
        Assert.Equal(["confirm"], await Buttons(warehouse));
        await warehouse.GetByLabel("Comment (optional)").FillAsync("goods counted in bay 4");
        await Submit(warehouse, "confirm", "approve");
        var center = await browser.SignedIn(api, "tc-1");
        await center.GotoAsync(assetUrl);
        await Submit(center, "confirm", "approve");
        await ConsoleBrowser.Check(center, "05-asset-confirmed");

        // Active: the owner may offer, pledge or trade it; not confirm, freeze or cancel (a receipt is cancelled by its warehouse).
        await owner.GotoAsync(assetUrl);
        Assert.Equal(["offer", "out"], await Buttons(owner));
        await Assertions.Expect(owner.Locator(".status").First).ToHaveTextAsync("Active");
        await ConsoleBrowser.Check(owner, "06-asset-active");

        // Pledge to the bank, which finds it among the assets it holds as venue and returns it.
        await Action(owner, "out").GetByLabel("Venue (bank or trading center)").FillAsync("bank-1");
        await Action(owner, "out").GetByLabel("Purpose").SelectOptionAsync("Financing");
        await Submit(owner, "out");
        Assert.Empty(await Buttons(owner));
        var bank = await browser.SignedIn(api, "bank-1");
        await api.ProjectionsCaughtUp();
        await bank.GotoAsync(bank.Url); // as above
        await Assertions.Expect(bank.Locator("section[aria-labelledby=venue] a", new() { HasText = number })).ToBeVisibleAsync();
        await ConsoleBrowser.Check(bank, "07-bank-dashboard");
        await bank.GotoAsync(assetUrl);
        Assert.Equal(["return"], await Buttons(bank));
        await Submit(bank, "return");
        Assert.EndsWith("/console", bank.Url); // returned, the asset is no longer the bank's to see
        Assert.Equal(404, (await bank.GotoAsync(assetUrl))!.Status);

        // Offer to the buyer, who accepts it from its dashboard.
        await owner.GotoAsync(assetUrl);
        await Action(owner, "offer").GetByLabel("To participant").FillAsync("buyer-b");
        await Submit(owner, "offer");
        Assert.Equal(["withdraw"], await Buttons(owner));
        await api.ProjectionsCaughtUp();
        await buyer.GotoAsync("/console");
        await buyer.Locator("section[aria-labelledby=offers] a", new() { HasText = number }).ClickAsync();
        Assert.Equal(["accept", "decline"], await Buttons(buyer));
        await ConsoleBrowser.Check(buyer, "08-buyer-offer");
        await Submit(buyer, "accept");
        Assert.Equal(["offer", "out"], await Buttons(buyer));

        // The regulator traces it by its receipt number, freezes it with a reason, then lifts the freeze.
        var regulator = await browser.SignedIn(api, "reg-1");
        await api.ProjectionsCaughtUp();
        await regulator.GotoAsync("/console/trace");
        await regulator.GetByLabel("Text (receipt, bill number, title)").FillAsync(number);
        await regulator.Locator("main form button[type=submit]").ClickAsync();
        await ConsoleBrowser.Check(regulator, "09-trace-search");
        await regulator.Locator("table.assets a", new() { HasText = number }).ClickAsync();
        Assert.Equal(["freeze"], await Buttons(regulator));
        await Action(regulator, "freeze").GetByLabel("Authority").SelectOptionAsync("Judicial");
        await Action(regulator, "freeze").GetByLabel("Reason").FillAsync("court order (2026) Hu 01 Zhi 123");
        await Submit(regulator, "freeze");
        Assert.Equal(["freeze", "unfreeze"], await Buttons(regulator));
        await ConsoleBrowser.Check(regulator, "10-asset-frozen");
        await buyer.GotoAsync(assetUrl);
        Assert.Empty(await Buttons(buyer)); // frozen: the owner can do nothing
        await Action(regulator, "unfreeze").GetByLabel("Reason").FillAsync("order discharged");
        await Submit(regulator, "unfreeze");

        // The warehouse releases the goods and cancels the receipt.
        await warehouse.GotoAsync(assetUrl);
        Assert.Equal(["cancel"], await Buttons(warehouse));
        await Action(warehouse, "cancel").GetByLabel("Reason").FillAsync("goods released to buyer-b");
        await Submit(warehouse, "cancel");
        Assert.Empty(await Buttons(warehouse));
        await Assertions.Expect(warehouse.Locator(".status").First).ToHaveTextAsync("Cancelled");

        // The new owner downloads the evidence bundle.
        await buyer.GotoAsync(assetUrl);
        var download = await buyer.RunAndWaitForDownloadAsync(() => buyer.Locator("a[data-action=bundle]").ClickAsync());
        var zip = Path.Combine(ConsoleBrowser.Screenshots, "bundle.zip");
        await download.SaveAsAsync(zip);
        using (var archive = System.IO.Compression.ZipFile.OpenRead(zip))
            Assert.Contains(archive.Entries, e => e.FullName == "events.jsonl");
        await api.ProjectionsCaughtUp();
        await buyer.GotoAsync(buyer.Url); // as above
        await Assertions.Expect(buyer.Locator("table.events tbody tr")).ToHaveCountAsync(10);
        await ConsoleBrowser.Check(buyer, "11-asset-cancelled");

        // The same page in Chinese: labels, status and times in the viewer's zone with UTC on hover.
        var zh = await browser.SignedIn(api, "buyer-b", "zh-CN");
        await zh.GotoAsync(assetUrl);
        await Assertions.Expect(zh.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Assertions.Expect(zh.Locator(".status").First).ToHaveTextAsync("已注销");
        await Assertions.Expect(zh.GetByRole(AriaRole.Heading, new() { Name = "时间线" })).ToBeVisibleAsync();
        var time = zh.Locator("dd time").First;
        Assert.EndsWith("UTC", await time.GetAttributeAsync("title"));
        Assert.DoesNotContain("UTC", await time.InnerTextAsync());
        await ConsoleBrowser.Check(zh, "12-asset-zh-CN");
        // The switch on the page goes back to English on the same page.
        await zh.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(zh.Locator("html")).ToHaveAttributeAsync("lang", "en");
        Assert.EndsWith(assetUrl, zh.Url);
    }

    [Fact]
    public async Task the_operator_and_the_regulator_pages_pass_the_scan_in_both_languages()
    {
        await api.ApplyFrom(System.Net.IPAddress.Parse("127.0.0.94"), "tankfarm-1", "admin@tankfarm-1", "a long passphrase");
        await Active(api);
        await api.ProjectionsCaughtUp();
        var op = await browser.SignedIn(api, "operator");
        await op.GotoAsync("/console/operator/participants");
        await ConsoleBrowser.Check(op, "20-operator-applications");
        await op.Locator("table.participants a", new() { HasText = "tankfarm-1" }).ClickAsync();
        Assert.Equal(["verify", "reject"], (await Buttons(op)).Take(2));
        await ConsoleBrowser.Check(op, "21-operator-application");
        await Submit(op, "verify");
        Assert.Contains("suspend", await Buttons(op));
        await op.GotoAsync("/console/operator/ledger");
        await ConsoleBrowser.Check(op, "22-operator-ledger");

        var regulator = await browser.SignedIn(api, "reg-1", "zh-CN");
        await regulator.GotoAsync("/console/regulator/holdings");
        await regulator.GetByLabel("参与方编号").FillAsync("owner-a");
        await regulator.Locator("main form button[type=submit]").ClickAsync();
        await Assertions.Expect(regulator.GetByRole(AriaRole.Heading, new() { Name = "拥有的资产" })).ToBeVisibleAsync();
        await ConsoleBrowser.Check(regulator, "23-regulator-holdings-zh-CN");
        await regulator.GotoAsync("/console/regulator/audit");
        await Assertions.Expect(regulator.Locator("table.audit td", new() { HasText = "/console/regulator/holdings" }).First).ToBeVisibleAsync();
        await ConsoleBrowser.Check(regulator, "24-regulator-audit-zh-CN");
    }

    [Fact]
    public async Task the_device_webhook_and_witness_pages_work_by_clicking_and_pass_the_scan()
    {
        var receipt = await Active(api);
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var device = $"wb-{Guid.NewGuid():N}"[..20];
        var warehouse = await browser.SignedIn(api, "wh-1");
        await warehouse.GotoAsync("/console/devices");
        await ConsoleBrowser.Check(warehouse, "25-devices");
        await warehouse.GetByLabel("Device id").FillAsync(device);
        await warehouse.GetByLabel("Kind").SelectOptionAsync("Weighbridge");
        await warehouse.GetByLabel("Site", new() { Exact = true }).FillAsync("tank farm 3");
        await warehouse.GetByLabel("Make", new() { Exact = true }).FillAsync("Mettler");
        await warehouse.Locator("#d-key").FillAsync(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
        await Submit(warehouse, "registerdevice");
        Assert.EndsWith($"/console/devices/{device}", warehouse.Url);
        await warehouse.GetByLabel("Receipt to watch (asset id)").FillAsync(receipt);
        await Submit(warehouse, "bind");
        Assert.Equal(["unbind", "rotatekey", "suspenddevice", "decommission"], (await Buttons(warehouse)).Where(b => b != "bind"));
        await ConsoleBrowser.Check(warehouse, "26-device");

        var bank = await browser.SignedIn(api, "bank-1", "zh-CN");
        await bank.GotoAsync("/console/webhooks");
        await ConsoleBrowser.Check(bank, "27-webhooks-zh-CN");
        await bank.GetByLabel("端点地址").FillAsync("http://127.0.0.1:9/hooks/bank-1");
        await Action(bank, "subscribe").Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(bank.Locator("[data-secret]")).ToContainTextAsync("whsec_");
        await ConsoleBrowser.Check(bank, "28-webhook-secret-zh-CN");

        var op = await browser.SignedIn(api, "operator");
        await op.GotoAsync("/console/operator/witnesses");
        await ConsoleBrowser.Check(op, "29-operator-witnesses");
        await op.GotoAsync("/console/devices");
        await Assertions.Expect(op.Locator($"tr[data-device='{device}']")).ToBeVisibleAsync();
    }
}
