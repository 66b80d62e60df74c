using System.Net;
using System.Text.Json;
using AssetLedger.Api.Endpoints;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Projections.Assets;
using AssetLedger.Projections.Trace;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.TraceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>The timeline page rendered by a real browser (headless Chromium): what a person sees, not only the HTML source.</summary>
public sealed class timeline_page_in_a_browser(ApiServer api, HeadlessChromium browser) : IClassFixture<ApiServer>, IClassFixture<HeadlessChromium>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<string> Show(string html)
    {
        var file = Path.Combine(Path.GetTempPath(), $"assetledger-timeline-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(file, html);
        try
        {
            await browser.Open(file);
            return (await browser.Evaluate("document.body.innerText"))!;
        }
        finally { File.Delete(file); }
    }

    async Task<List<(string Text, string Color)>> Marks()
    {
        var marks = HeadlessChromium.Json(await browser.Evaluate(
            "JSON.stringify(Array.from(document.querySelectorAll('table.events tbody .mark')).map(m => [m.innerText, getComputedStyle(m).backgroundColor, m.getBoundingClientRect().width]))"));
        Assert.All(marks, m => Assert.True(m![2]!.GetValue<double>() > 0, "a proof mark is not displayed"));
        return marks.Select(m => (m![0]!.GetValue<string>(), m[1]!.GetValue<string>())).ToList();
    }

    const string Green = "rgb(26, 127, 55)", Red = "rgb(207, 34, 46)";

    [Fact]
    public async Task the_readme_receipts_page_shows_its_chain_of_custody_and_a_green_mark_for_every_anchored_event()
    {
        var story = await ReadmeReceipt(api);
        await Settled(api);
        var page = await api.Get($"/api/v1/trace/assets/{story.Id}/timeline.html", "reg-1");
        Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
        Assert.Equal("text/html", page.ContentType);

        var text = await Show(page.Body);
        Assert.Contains($"Asset trace: WarehouseReceipt receipt:wh-1:{story.ReceiptNumber}", text);
        Assert.Contains("Status Cancelled", text);
        Assert.Contains("1200.5 bbl of crude oil at wh-1", text);
        Assert.Contains("Chain of custody", text);
        Assert.Matches(@"owner-a Co\., Ltd\. \(owner-a\)\s+Owner", text);
        Assert.Matches(@"bank-1 Co\., Ltd\. \(bank-1\)\s+Venue: pledged for financing", text);
        Assert.Matches(@"buyer-b Co\., Ltd\. \(buyer-b\)\s+Owner", text);
        Assert.Contains("Transferred out to bank-1 Co., Ltd. (bank-1) for Financing (pledge)", text);
        Assert.Contains("Frozen (Judicial, frz-court-1) by reg-1 Co., Ltd. (reg-1): court order (2026) Hu 01 Zhi 123", text);
        Assert.Contains("Transferred from owner-a Co., Ltd. (owner-a) to buyer-b Co., Ltd. (buyer-b)", text);
        Assert.Contains("Cancelled by wh-1 Co., Ltd. (wh-1): goods released to buyer-b", text);
        Assert.Contains("weighbridge reading (application/json, api)", text);
        Assert.Equal(11, System.Text.RegularExpressions.Regex.Matches(text, @"Anchored: in checkpoint \d+; anchored at local").Count);

        var marks = await Marks();
        Assert.Equal(11, marks.Count);
        Assert.All(marks, m => Assert.Equal(("✔", Green), m));
    }

    [Fact]
    public async Task an_event_not_yet_anchored_has_a_red_mark_and_registry_text_is_shown_as_text()
    {
        var at = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        ProofStatus anchored = new(ProofState.Anchored, 2, at, [new AnchorRef("local", 2, "1", at)], "in checkpoint 2; anchored at local (checkpoint 2, reference 1)");
        ProofStatus sequenced = new(ProofState.Sequenced, null, null, [], "sequenced at log position 3; no signed checkpoint covers it yet");
        var owner = new ParticipantRef("owner-a", "<script>document.body.innerHTML='owned'</script>华东石化", ["Owner"]);
        TraceEvent Event(long v, string summary, ProofStatus proof) => new(v, v, Guid.NewGuid(), "asset-x", summary, new TraceActor("owner-a", owner.Name, ["Owner"], "Owner"),
            at, at, new string('0', 64), null, proof, JsonDocument.Parse("{}").RootElement);
        var trace = new AssetTrace(new TraceSnapshot(3, 3, 2, at, at),
            new AssetView { Id = new string('1', 32), OwnerId = "owner-a", NaturalKey = "receipt:wh-1:<b>WR</b>" },
            [Event(1, "Registered <i>here</i>", anchored), Event(2, "Confirmed", anchored), Event(3, "Offered & waiting", sequenced)],
            [new OwnershipLink(owner, at, 1, null, null)], [], [], []);

        var text = await Show(TimelinePage.Render(trace));
        Assert.Contains("Asset trace: WarehouseReceipt receipt:wh-1:<b>WR</b>", text);
        Assert.Contains("<script>document.body.innerHTML='owned'</script>华东石化 (owner-a)", text);
        Assert.Contains("Registered <i>here</i>", text);
        Assert.Contains("Sequenced: sequenced at log position 3; no signed checkpoint covers it yet", text);
        Assert.Equal([("✔", Green), ("✔", Green), ("✘", Red)], await Marks());
    }
}
