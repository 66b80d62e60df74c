using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.TraceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14 item 10: every answer sends <c>X-Content-Type-Options: nosniff</c>, and every HTML answer a strict
/// Content-Security-Policy; the timeline page's allows exactly its own stylesheet, by hash, and no script.
/// </summary>
public sealed class html_answers_carry_security_headers(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<HttpResponseMessage> Get(string path, string? participant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (participant is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await api.Token(participant));
        return await api.Http.SendAsync(request);
    }

    static string Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : r.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : "";

    [Fact]
    public async Task the_timeline_page_forbids_sniffing_scripts_and_everything_but_its_own_hashed_stylesheet()
    {
        var id = await Active(api);
        await Settled(api, anchored: false);

        using var page = await Get($"/api/v1/trace/assets/{id}/timeline.html", "reg-1");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("nosniff", Header(page, "X-Content-Type-Options"));
        var csp = Header(page, "Content-Security-Policy");
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("script-src", csp);
        var style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains($"style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'", csp);
        Assert.DoesNotContain("<script", html);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/api/v1/nothing-here")]
    public async Task every_answer_forbids_content_sniffing(string path)
    {
        using var r = await Get(path, null);
        Assert.Equal("nosniff", Header(r, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task the_swagger_ui_page_gets_a_policy_without_inline_script()
    {
        using var r = await Get("/swagger/index.html", null);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var csp = Header(r, "Content-Security-Policy");
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", Header(r, "X-Content-Type-Options"));
    }
}
