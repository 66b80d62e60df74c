using System.Net;
using System.Text.RegularExpressions;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// A browser's part in HTTP terms, for the console tests that need no rendering: a cookie jar, no automatic redirects,
/// and forms read from the page (their antiforgery token and Idempotency-Key) and posted back as a browser posts them.
/// </summary>
public sealed partial class ConsoleClient : IDisposable
{
    readonly HttpClient _http;
    public CookieContainer Cookies { get; } = new();

    public ConsoleClient(ApiServer api, string? language = null)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = api.BaseAddress };
        if (language is not null) _http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
    }

    /// <summary>Signs in through the login form as the participant's fixture user (created over the API first).</summary>
    public static async Task<ConsoleClient> SignedIn(ApiServer api, string participant, string? language = null)
    {
        await api.Token(participant);
        var client = new ConsoleClient(api, language);
        var page = await client.Get("/console/login");
        var answer = await client.Post("/console/login", page.Form(), ("login", ApiServer.LoginOf(participant)),
            ("password", participant == "operator" ? ApiServer.OperatorPassword : ApiServer.UserPassword));
        Assert.True(answer.Status == HttpStatusCode.Redirect, answer.ToString());
        return client;
    }

    public async Task<Page> Get(string path)
    {
        using var response = await _http.GetAsync(path);
        return await Page.Of(response);
    }

    /// <summary>A download (a bundle): the status and the bytes as sent.</summary>
    public async Task<(HttpStatusCode Status, byte[] Body)> GetBytes(string path)
    {
        using var response = await _http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Posts a form's fields (those drawn on the page, then the given values over them).</summary>
    public async Task<Page> Post(string path, IReadOnlyDictionary<string, string> form, params (string Name, string Value)[] values)
    {
        var fields = new Dictionary<string, string>(form);
        foreach (var (name, value) in values) fields[name] = value;
        using var response = await _http.PostAsync(path, new FormUrlEncodedContent(fields));
        return await Page.Of(response);
    }

    public void Dispose() => _http.Dispose();

    public sealed record Page(HttpStatusCode Status, string Html, string? Location, string? ContentSecurityPolicy, bool Replayed)
    {
        public static async Task<Page> Of(HttpResponseMessage r) => new(r.StatusCode, await r.Content.ReadAsStringAsync(), r.Headers.Location?.ToString(),
            r.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp.First() : null,
            r.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true"));

        /// <summary>The hidden fields of the page's first form, or of the form marked data-action="<paramref name="action"/>".</summary>
        public IReadOnlyDictionary<string, string> Form(string? action = null)
        {
            // The page's own forms, in its main part (the header's sign-out form comes first otherwise).
            var forms = FormPattern().Matches(Html[Html.IndexOf("<main", StringComparison.Ordinal)..]).Select(m => m.Value);
            var form = action is null ? forms.First(f => f.Contains("method=\"post\"")) : forms.First(f => f.Contains($"data-action=\"{action}\""));
            return InputPattern().Matches(form).Select(m => m.Value).Where(i => i.Contains("type=\"hidden\""))
                .ToDictionary(i => Attribute("name", i), i => WebUtility.HtmlDecode(Attribute("value", i)));
        }

        /// <summary>The data-action of every action form on the page: the buttons the viewer is offered.</summary>
        public IReadOnlyList<string> Actions() => ActionPattern().Matches(Html).Select(m => m.Groups[1].Value).ToList();

        public override string ToString() => $"{(int)Status} {Location} {Html[..Math.Min(Html.Length, 2000)]}";
    }

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();
    static string Attribute(string name, string tag) => Regex.Match(tag, $"\\b{name}=\"([^\"]*)\"").Groups[1].Value;

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputPattern();
    [GeneratedRegex("<form[^>]*data-action=\"([a-z]+)\"")]
    private static partial Regex ActionPattern();
}
