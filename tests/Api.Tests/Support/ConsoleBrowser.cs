using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// Playwright driving Debian's chromium (ExecutablePath: no browser download; scripts/test.sh installs the package where
/// missing), one browser per test class, a context per person. Every page a test visits can be scanned with axe-core
/// and photographed into <see cref="Screenshots"/>.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    IPlaywright _playwright = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots go (beside the test binaries), to look at after a run.</summary>
    public static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    public async Task InitializeAsync()
    {
        var exe = HeadlessChromium.Executable ?? throw new InvalidOperationException("chromium is not installed: scripts/test.sh installs Debian's chromium package (apt-get install chromium).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = exe, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        Directory.CreateDirectory(Screenshots);
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }

    /// <summary>A person's own browser context (cookies of its own), signed in through the login form.</summary>
    public async Task<IPage> SignedIn(ApiServer api, string participant, string locale = "en-US")
    {
        await api.Token(participant);
        var context = await Browser.NewContextAsync(new() { BaseURL = api.BaseAddress.ToString(), Locale = locale, TimezoneId = "Asia/Shanghai" });
        // Waits, not speed checks: a page on a machine busy with other work may take longer than Playwright's 30 s.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/login");
        await page.GetByLabel(locale.StartsWith("zh") ? "登录名" : "Login", new() { Exact = true }).FillAsync(ApiServer.LoginOf(participant));
        await page.GetByLabel(locale.StartsWith("zh") ? "密码" : "Password", new() { Exact = true }).FillAsync(participant == "operator" ? ApiServer.OperatorPassword : ApiServer.UserPassword);
        await page.Locator("main button[type=submit]").ClickAsync();
        // Reaching /console is what is asked. Waiting for it by Playwright's navigation events (the load event, and since
        // session 11 the commit) ran out three times in full runs with the dashboard shown at /console when the message was
        // written: the page's own location is polled instead, so no event can be missed.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await AtConsole(page))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(120))
                // Say where the sign-in ended and what the page said, not only that a wait ran out.
                throw new Xunit.Sdk.XunitException($"Signing in as {participant} did not reach /console in 120 s; at {page.Url}: {await page.Locator("body").InnerTextAsync()}");
            await Task.Delay(250);
        }
        return page;
    }

    /// <summary>Whether the page shows /console: its URL as Playwright knows it, or its document's own location.</summary>
    static async Task<bool> AtConsole(IPage page)
    {
        if (new Uri(page.Url).AbsolutePath == "/console") return true;
        try { return await page.EvaluateAsync<string>("() => location.pathname") == "/console"; }
        catch (PlaywrightException) { return false; } // between documents: ask again
    }

    /// <summary>An axe-core scan of the page as it stands, and a screenshot named after it: no serious or critical violation.</summary>
    public static async Task Check(IPage page, string name)
    {
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"{name} ({page.Url}): " + string.Join("\n", bad.Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }
}
