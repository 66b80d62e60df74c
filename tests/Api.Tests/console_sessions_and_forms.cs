using System.Net;
using AssetLedger.Api.Security;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>The console's foundation over HTTP: its session is the API's login, its forms are guarded and written once, its pages are locked down and bilingual.</summary>
public sealed class console_sessions_and_forms(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_page_needs_a_session_and_signing_in_with_the_api_password_opens_it()
    {
        using var anonymous = new ConsoleClient(api);
        var page = await anonymous.Get("/console");
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith($"{api.BaseAddress}console/login", page.Location, StringComparison.OrdinalIgnoreCase);

        using var owner = await ConsoleClient.SignedIn(api, "owner-a");
        var dashboard = await owner.Get("/console");
        Assert.True(dashboard.Status == HttpStatusCode.OK, dashboard.ToString());
        Assert.Contains("What waits for me", dashboard.Html);
        Assert.Contains("owner-a.fixture (owner-a)", dashboard.Html);
        Assert.Equal(SecurityHeaders.Console, dashboard.ContentSecurityPolicy);
        Assert.DoesNotContain("<script>", dashboard.Html);
        Assert.DoesNotContain(" style=", dashboard.Html);
    }

    [Fact]
    public async Task a_forged_post_without_the_antiforgery_token_is_refused_and_writes_nothing()
    {
        using var owner = await ConsoleClient.SignedIn(api, "owner-a");
        var before = await api.Scalar("SELECT count(*) FROM events");
        var form = new Dictionary<string, string>(( await owner.Get("/console/register")).Form());
        form.Remove("__RequestVerificationToken");
        var forged = await owner.Post("/console/register", form, ("ownerId", "owner-a"), ("warehouseId", "wh-1"), ("receiptNumber", "WR-FORGED"),
            ("commodity", "copper"), ("quantity", "10"), ("unit", "t"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(before, await api.Scalar("SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task a_form_sent_twice_registers_once_and_the_second_gets_the_first_answer()
    {
        using var owner = await ConsoleClient.SignedIn(api, "owner-a");
        var form = (await owner.Get("/console/register")).Form();
        var number = $"WR-{Guid.NewGuid():N}";
        (string, string)[] fields = [("ownerId", "owner-a"), ("warehouseId", "wh-1"), ("receiptNumber", number), ("commodity", "copper"), ("quantity", "10.50"), ("unit", "t")];
        var sends = await Task.WhenAll(owner.Post("/console/register", form, fields), owner.Post("/console/register", form, fields));
        var done = sends.Where(s => s.Status == HttpStatusCode.Redirect).ToList();
        Assert.True(done.Count >= 1, string.Join("\n", sends.Select(s => s.ToString())));
        // Either both answers are the one redirect (the second replayed), or the second came while the first ran and was told so.
        Assert.All(sends, s => Assert.True(s.Status == HttpStatusCode.Redirect || s.Status == HttpStatusCode.Conflict, s.ToString()));
        Assert.Single(done.Select(d => d.Location).Distinct());
        Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE type = 'asset-registered' AND data->'details'->>'receiptNumber' = '{number}'"));
        var again = await owner.Post("/console/register", form, fields);
        Assert.Equal(HttpStatusCode.Redirect, again.Status);
        Assert.True(again.Replayed);
        Assert.Equal(done[0].Location, again.Location);

        var asset = await owner.Get(done[0].Location!);
        Assert.True(asset.Status == HttpStatusCode.OK, asset.ToString());
        // Exactly as stored: the Domain keeps the decimal in its canonical form, and the page shows that, never a culture's rendering.
        Assert.Contains(">10.5 t<", asset.Html);
    }

    [Fact]
    public async Task wrong_passwords_at_the_console_count_towards_the_same_back_off_as_the_api()
    {
        await api.Token("debtor-1");
        using var stranger = new ConsoleClient(api);
        ConsoleClient.Page last = null!;
        for (var i = 0; i < 12 && !(last?.Html.Contains("auth.login_backoff") ?? false); i++)
            last = await stranger.Post("/console/login", (await stranger.Get("/console/login")).Form(), ("login", ApiServer.LoginOf("debtor-1")), ("password", "not-the-password"));
        Assert.Contains("data-code=\"auth.login_backoff\"", last.Html);
        Assert.Equal(HttpStatusCode.TooManyRequests, last.Status);
        // The API, asked from the same address with the right password, waits too: one counter.
        var token = await api.Login(ApiServer.LoginOf("debtor-1"), ApiServer.UserPassword);
        Assert.Equal("auth.login_backoff", token.Code);
    }

    [Fact]
    public async Task the_language_follows_accept_language_and_the_switch_and_errors_are_translated()
    {
        using var zh = new ConsoleClient(api, "zh-CN,zh;q=0.9");
        var login = await zh.Get("/console/login");
        Assert.Contains("<html lang=\"zh-CN\">", login.Html);
        Assert.Contains("登录名", login.Html);
        var wrong = await zh.Post("/console/login", login.Form(), ("login", "nobody-here"), ("password", "wrong-password-1"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Contains("登录名或密码错误。", wrong.Html);

        var english = await zh.Get("/console/language?culture=en&back=%2Fconsole%2Flogin");
        Assert.Equal(HttpStatusCode.Redirect, english.Status);
        Assert.EndsWith("/console/login", english.Location);
        var again = await zh.Get("/console/login");
        Assert.Contains("<html lang=\"en\">", again.Html);
        Assert.Contains("Password", again.Html);

        // The switch goes back only into the console.
        var away = await zh.Get("/console/language?culture=en&back=https%3A%2F%2Fevil.example%2F");
        Assert.EndsWith("/console", away.Location);
    }

    [Fact]
    public async Task changing_the_password_needs_the_current_one_and_ends_the_session()
    {
        await api.Participants(("owner-pw", "Owner"));
        using var owner = await ConsoleClient.SignedIn(api, "owner-pw");
        var wrong = await owner.Post("/console/password", (await owner.Get("/console/password")).Form(), ("current", "not-my-password"), ("next", "a-new-password-1"));
        Assert.Contains("data-code=\"auth.invalid_credentials\"", wrong.Html);
        var tooShort = await owner.Post("/console/password", (await owner.Get("/console/password")).Form(), ("current", ApiServer.UserPassword), ("next", "short"));
        Assert.Contains("data-code=\"user.invalid\"", tooShort.Html);

        var changed = await owner.Post("/console/password", (await owner.Get("/console/password")).Form(), ("current", ApiServer.UserPassword), ("next", "a-new-password-1"));
        Assert.Equal(HttpStatusCode.Redirect, changed.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.Get("/console")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Login(ApiServer.LoginOf("owner-pw"), "a-new-password-1")).Status);
        api.ForgetToken("owner-pw");
    }
}
