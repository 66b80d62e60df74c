using System.Net;
using System.Text.RegularExpressions;
using AssetLedger.Api.Security;
using AssetLedger.Api.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14 item 3: an applicant the operator has not verified logs in, but reads only its own application and its own
/// user; every other endpoint that needs a login answers it 403 with one clear code, until it is verified.
/// </summary>
public sealed partial class unverified_applicants_see_only_their_own_application(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    string _token = "";

    public async Task InitializeAsync()
    {
        await api.Participants(("known-1", "Owner"));
        if ((await api.Apply("pending-1", "admin@pending-1", "a long passphrase")).Status is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            throw new InvalidOperationException("applying as pending-1");
        _token = (await api.Login("admin@pending-1", "a long passphrase")).Json["accessToken"]!.GetValue<string>();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    Task<Reply> AsApplicant(HttpMethod method, string path) => api.SendRaw(method, path, _token, method == HttpMethod.Get || method == HttpMethod.Delete ? null : "{}");

    [Fact]
    public async Task it_reads_its_own_application_and_user()
    {
        var own = await AsApplicant(HttpMethod.Get, "/api/v1/participants/pending-1");
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal("Applied", own.Json["status"]!.GetValue<string>());
        Assert.Equal("pending-1", (await AsApplicant(HttpMethod.Get, "/api/v1/users/me")).Json["participantId"]!.GetValue<string>());
        // Public ledger data stays public.
        Assert.Equal(HttpStatusCode.OK, (await AsApplicant(HttpMethod.Get, "/api/v1/ledger/keys")).Status);
    }

    [Theory]
    [InlineData("GET", "/api/v1/participants/known-1")]
    [InlineData("GET", "/api/v1/assets")]
    [InlineData("GET", "/api/v1/assets/0190f1c2-0000-7000-8000-000000000001")]
    [InlineData("GET", "/api/v1/assets/0190f1c2-0000-7000-8000-000000000001/history")]
    [InlineData("GET", "/api/v1/registry/encumbrances?key=receipt:wh-1:R-1")]
    [InlineData("GET", "/api/v1/trace/search?q=copper")]
    [InlineData("GET", "/api/v1/trace/participants/known-1/holdings")]
    [InlineData("GET", "/api/v1/ledger/integrity?from=1&to=1")]
    [InlineData("GET", "/api/v1/evidence/assets/0190f1c2-0000-7000-8000-000000000001")]
    [InlineData("POST", "/api/v1/assets")]
    [InlineData("POST", "/api/v1/users")]
    public async Task every_other_read_or_command_is_refused_with_one_clear_code(string method, string path)
    {
        var r = await AsApplicant(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.Forbidden, r.Status);
        Assert.Equal("auth.applicant_unverified", r.Code);
    }

    [Fact]
    public async Task every_endpoint_that_needs_a_login_refuses_it_but_those_open_to_applicants()
    {
        var routes = api.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(ApplicantGate.Closed)
            // The console's routes take its cookie, not a bearer token (a token there is no login at all: 401); its pages are tested in console_*.
            .Where(e => !e.RoutePattern.RawText!.TrimStart('/').StartsWith("console", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Path: Fill(e.RoutePattern.RawText!))))
            .ToList();
        Assert.True(routes.Count > 40, $"only {routes.Count} routes found");

        foreach (var (method, path) in routes)
        {
            var r = await AsApplicant(new HttpMethod(method), path);
            Assert.True(r.Status == HttpStatusCode.Forbidden && r.Code == "auth.applicant_unverified", $"{method} {path} → {r}");
        }
    }

    [Fact]
    public async Task once_verified_it_reads_what_its_roles_allow()
    {
        Assert.Equal(HttpStatusCode.Created, (await api.Apply("verified-later", "admin@verified-later", "a long passphrase")).Status);
        var token = (await api.Login("admin@verified-later", "a long passphrase")).Json["accessToken"]!.GetValue<string>();
        Assert.Equal("auth.applicant_unverified", (await api.SendRaw(HttpMethod.Get, "/api/v1/participants/known-1", token, null)).Code);

        Assert.Equal(HttpStatusCode.OK, (await api.Post("/api/v1/participants/verified-later/verification", "operator", new { approve = true })).Status);

        Assert.Equal(HttpStatusCode.OK, (await api.SendRaw(HttpMethod.Get, "/api/v1/participants/known-1", token, null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendRaw(HttpMethod.Get, "/api/v1/assets", token, null)).Status);
    }

    /// <summary>A concrete path for a route pattern: every parameter gets a value that names someone else's record.</summary>
    static string Fill(string pattern) => "/" + Parameter().Replace(pattern.TrimStart('/'), m => m.Groups[1].Value switch
    {
        "treeSize" => "1",
        "role" => "Owner",
        _ => "known-1",
    });

    [GeneratedRegex(@"\{([A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex Parameter();
}
