using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using P = AssetLedger.Api.Problems.Problems;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14 item 8: 413 and 423 were titled "Server error", a malformed bearer token's 401 showed the library's IDX
/// message, binding failures named internal types, and Kestrel's own refusals answered an empty 400.
/// </summary>
public sealed class every_error_is_a_problem(ApiServer api) : IClassFixture<ApiServer>
{
    static void IsProblem(RawHttp.Answer a, int status, string code)
    {
        Assert.True(a.Status == status, a.ToString());
        Assert.Equal("application/problem+json", a.ContentType);
        var problem = JsonNode.Parse(a.Body)!;
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.NotEqual("Server error", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public void every_client_error_has_a_title_of_its_own()
    {
        foreach (var status in new[] { 400, 401, 403, 404, 405, 408, 409, 411, 412, 413, 414, 415, 422, 423, 429, 431 })
            Assert.NotEqual("Server error", P.TitleOf(status));
        Assert.Equal("The account is locked", P.TitleOf(423));
        Assert.Equal("The request is too large", P.TitleOf(413));
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.%%%.sig")]
    public async Task a_malformed_bearer_token_is_a_401_in_our_words(string token)
    {
        var r = await api.SendRaw(HttpMethod.Get, "/api/v1/users/me", token, null);
        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.Equal("auth.required", r.Code);
        Assert.DoesNotContain("IDX", r.Body);
        Assert.DoesNotContain("Microsoft.", r.Body);
    }

    [Theory]
    [InlineData("GET", "/api/v1/assets?limit=abc", null, "limit")]
    [InlineData("GET", "/api/v1/ledger/anchors?limit=99999999999", null, "limit")]
    [InlineData("GET", "/api/v1/ledger/proofs/consistency?from=x&to=1", null, "from")]
    [InlineData("POST", "/api/v1/assets", "{\"kind\":7}", "kind")]
    [InlineData("POST", "/api/v1/participants", "{\"roles\":\"Owner\"}", "roles")]
    [InlineData("POST", "/api/v1/assets", "{\"kind\":", "kind")]
    public async Task a_binding_failure_names_the_field_and_no_internal_type(string method, string path, string? body, string? field)
    {
        var r = await api.Send(new HttpMethod(method), path, "operator", body);
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("application/problem+json", r.ContentType);
        Assert.Equal(field, r.Json["field"]?.GetValue<string>());
        foreach (var internalName in new[] { "AssetLedger.", "Nullable", "System.", "Int64", "Int32", "Request " })
            Assert.DoesNotContain(internalName, r.Json["detail"]!.GetValue<string>());
    }

    static byte[] A(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>
    /// Refusals Kestrel makes before any middleware runs. Kestrel gives no hook for their body; the connection middleware
    /// (Hosting/KestrelRefusals) rewrites its empty answer, so each of these is a problem too.
    /// </summary>
    [Theory]
    [InlineData("a NUL in the path", "GET", "/api/v1/assets/%00", null, null, 400, "request.unreadable")]
    [InlineData("a CR in a header", "GET", "/health/live", "X-Note", "a\rb", 400, "request.unreadable")]
    [InlineData("a NUL in a header", "GET", "/health/live", "X-Note", "a\0b", 400, "request.unreadable")]
    [InlineData("invalid UTF-8 in a header", "GET", "/health/live", "X-Note", "a\u00ffb", 400, "request.unreadable")]
    [InlineData("a bad request line", "GET BAD", "/health/live", null, null, 400, "request.unreadable")]
    [InlineData("a 100,000-character target", "GET", "/api/v1/assets?ownerId=", null, null, 414, "request.target_too_long")]
    [InlineData("100,000 characters of headers", "GET", "/health/live", "X-Note", "", 431, "request.headers_too_large")]
    public async Task kestrels_own_refusals_answer_a_problem(string what, string method, string target, string? header, string? value, int status, string code)
    {
        if (status == 414) target += new string('x', 100_000);
        if (status == 431) value = new string('x', 100_000);
        var headers = header is null ? [] : new[] { (header, value!.Select(c => (byte)c).ToArray()) };
        var answer = await RawHttp.Send(api.BaseAddress, method, A(target), headers, null);
        IsProblem(answer, status, code);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public async Task a_well_formed_request_after_the_hook_is_answered_as_before()
    {
        var answer = await RawHttp.Send(api.BaseAddress, "GET", A("/health/live"), [], null);
        Assert.Equal(200, answer.Status);
        Assert.Contains("live", answer.Text);
    }
}
