using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>A sample of the authorisation matrix through the console, a double click on a write, and the words in both languages.</summary>
public sealed class console_shows_only_what_the_rules_allow(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<ConsoleClient.Page> Page(string participant, string id)
    {
        using var client = await ConsoleClient.SignedIn(api, participant);
        return await client.Get($"/console/assets/{id}");
    }

    [Fact]
    public async Task each_person_sees_only_the_buttons_and_assets_the_rules_allow()
    {
        var pending = await Pending(api);
        var active = await Active(api);
        // Pending: the warehouse and the trading center may confirm; the owner may do nothing yet; a bank and a buyer do not see it.
        Assert.Equal(["confirm"], (await Page("wh-1", pending)).Actions());
        Assert.Equal(["confirm"], (await Page("tc-1", pending)).Actions());
        Assert.Empty((await Page("owner-a", pending)).Actions());
        Assert.Equal(HttpStatusCode.NotFound, (await Page("bank-1", pending)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Page("buyer-b", pending)).Status);
        // Active: the owner offers or moves it out, the warehouse cancels it, the regulator freezes it; the trading center that confirmed it only reads.
        Assert.Equal(["offer", "out"], (await Page("owner-a", active)).Actions());
        Assert.Equal(["cancel"], (await Page("wh-1", active)).Actions());
        Assert.Equal(["freeze"], (await Page("reg-1", active)).Actions());
        Assert.Empty((await Page("tc-1", active)).Actions());
        Assert.Equal(HttpStatusCode.NotFound, (await Page("buyer-b", active)).Status);

        // The lists show only what the visibility rule lets each see; the trace search is the regulator's and the operator's.
        using var buyer = await ConsoleClient.SignedIn(api, "buyer-b");
        await api.ProjectionsCaughtUp();
        var list = await buyer.Get("/console/assets");
        Assert.DoesNotContain(pending, list.Html);
        Assert.DoesNotContain(active, list.Html);
        var trace = await buyer.Get("/console/trace");
        Assert.Equal(HttpStatusCode.Redirect, trace.Status);
        Assert.Contains("/console/denied", trace.Location);
        using var owner = await ConsoleClient.SignedIn(api, "owner-a");
        var mine = await owner.Get("/console/assets");
        Assert.Contains(pending, mine.Html);
        Assert.Contains(active, mine.Html);
    }

    [Fact]
    public async Task a_double_click_on_freeze_freezes_once()
    {
        var id = await Active(api);
        using var regulator = await ConsoleClient.SignedIn(api, "reg-1");
        var form = (await regulator.Get($"/console/assets/{id}")).Form("freeze");
        (string, string)[] fields = [("authority", "Regulatory"), ("reason", "inspection")];
        var first = await regulator.Post($"/console/assets/{id}?handler=freeze", form, fields);
        var second = await regulator.Post($"/console/assets/{id}?handler=freeze", form, fields);
        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.True(second.Replayed, second.ToString());
        Assert.Equal(first.Location, second.Location);
        Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE stream_id = 'asset-{id}' AND type = 'asset-frozen'"));
    }

    static XDocument Resources(string name) =>
        XDocument.Load(Path.Combine(BundleSchemaValidator.RepoRoot(), "src", "Api", "WebConsole", name));

    static HashSet<string> Keys(XDocument d) => d.Root!.Elements("data").Select(e => e.Attribute("name")!.Value).ToHashSet();

    [Fact]
    public void every_label_is_in_both_languages_and_every_domain_error_in_chinese()
    {
        var en = Keys(Resources("Text.resx"));
        var zh = Keys(Resources("Text.zh-CN.resx"));
        Assert.Empty(en.Except(zh));
        Assert.Empty(zh.Where(k => !k.StartsWith("error.")).Except(en));
        // Every code a DomainError is made with anywhere in src/ (the Domain's, the Application's, the Api's catalogs).
        var src = Path.Combine(BundleSchemaValidator.RepoRoot(), "src");
        var codes = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"(?:new(?:DomainError)?|DomainError)\(\s*""([a-z_]+\.[a-z_.]+)""").Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.True(codes.Count > 100, $"found only {codes.Count} error codes; has the pattern changed?");
        var missing = codes.Where(c => !zh.Contains("error." + c)).Order().ToList();
        Assert.True(missing.Count == 0, "no Chinese text in src/Api/WebConsole/Text.zh-CN.resx for: " + string.Join(", ", missing));
    }
}
