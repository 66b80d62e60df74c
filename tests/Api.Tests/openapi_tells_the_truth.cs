using System.Net;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14 item 9: the OpenAPI document declared bearer security on public routes and no 403 on /ledger/integrity.
/// Every operation is compared with its route's real authorization metadata, and with what the API answers.
/// </summary>
public sealed class openapi_tells_the_truth(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    sealed record Operation(string Method, string Path, JsonObject Node, bool Secured, IReadOnlyList<string> Roles, bool ApplicantsRefused);

    async Task<(JsonNode Doc, List<Operation> Operations)> Walk()
    {
        var doc = JsonNode.Parse((await api.Get("/swagger/v1/swagger.json", null)).Body)!;
        var endpoints = api.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var operations = new List<Operation>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
        foreach (var (method, op) in item!.AsObject())
        {
            var endpoint = endpoints.Single(e => Template(e.RoutePattern.RawText!) == path.TrimEnd('/')
                && e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Contains(method.ToUpperInvariant()));
            var m = endpoint.Metadata;
            // An inbound notice needs no token but its sender's signature (SignedNotices): secured all the same.
            var signed = m.GetMetadata<AssetLedger.Api.Security.SignedNotices.Metadata>() is not null;
            var anonymous = m.GetMetadata<IAllowAnonymous>() is not null && !signed;
            var secured = signed || !anonymous && (m.GetOrderedMetadata<IAuthorizeData>().Any() || m.GetOrderedMetadata<AuthorizationPolicy>().Any());
            var roles = anonymous ? [] : m.GetOrderedMetadata<AuthorizationPolicy>().SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>())
                .SelectMany(r => r.AllowedRoles).Concat(m.GetOrderedMetadata<IAuthorizeData>().SelectMany(a => a.Roles?.Split(',') ?? [])).ToList();
            var applicantsRefused = secured && m.GetMetadata<AssetLedger.Api.Security.ApplicantGate.OpenToApplicantsMetadata>() is null;
            operations.Add(new Operation(method.ToUpperInvariant(), path, op!.AsObject(), secured, roles, applicantsRefused));
        }
        return (doc, operations);
    }

    /// <summary>"/api/v1/ledger/checkpoints/{treeSize:long}" as the document writes it.</summary>
    static string Template(string raw) => System.Text.RegularExpressions.Regex.Replace(raw, @"\{(\w+):[^}]+\}", "{$1}").TrimEnd('/');

    [Fact]
    public async Task security_401_and_403_are_declared_exactly_where_the_routes_metadata_puts_them()
    {
        var (doc, operations) = await Walk();
        Assert.Null(doc["security"]);
        var wrong = new List<string>();
        foreach (var op in operations)
        {
            var declaresSecurity = op.Node["security"] is JsonArray { Count: > 0 };
            var responses = op.Node["responses"]!.AsObject();
            var name = $"{op.Method} {op.Path}";
            if (declaresSecurity != op.Secured) wrong.Add($"{name}: security {declaresSecurity}, route secured {op.Secured}");
            // Only the token endpoint answers 401/403 without requiring a token: a wrong password, a disabled user.
            var answersAuthItself = op.Path == "/api/v1/auth/token";
            if (responses.ContainsKey("401") != (op.Secured || answersAuthItself)) wrong.Add($"{name}: 401 declared {responses.ContainsKey("401")}");
            if (op.Roles.Count > 0 && !responses.ContainsKey("403")) wrong.Add($"{name}: gated by {string.Join(",", op.Roles)} without 403");
            if (op.ApplicantsRefused && !responses.ContainsKey("403")) wrong.Add($"{name}: the applicant gate answers 403, not declared");
            if (!op.Secured && !answersAuthItself && responses.ContainsKey("403")) wrong.Add($"{name}: anonymous, yet declares 403");
            if (op.Node["requestBody"] is not null && !responses.ContainsKey("413")) wrong.Add($"{name}: takes a body without declaring 413");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        foreach (var publicRoute in new[] { "GET /health/live", "GET /health/ready", "GET /api/v1/ledger/keys", "GET /api/v1/ledger/checkpoints/latest",
                     "GET /api/v1/ledger/checkpoints/{treeSize}", "POST /api/v1/participants/applications", "POST /api/v1/auth/token" })
            Assert.False(operations.Single(o => $"{o.Method} {o.Path}" == publicRoute).Secured, publicRoute);
        Assert.True(operations.Single(o => o.Path == "/api/v1/ledger/integrity").Node["responses"]!.AsObject().ContainsKey("403"));
    }

    [Fact]
    public async Task the_api_answers_as_the_document_says_without_a_token_and_with_a_role_it_lacks()
    {
        var (_, operations) = await Walk();
        var wrong = new List<string>();
        foreach (var op in operations)
        {
            var path = op.Path.Replace("{treeSize}", "1").Replace("{id}", "owner-a").Replace("{login}", "nobody.here").Replace("{role}", "Owner");
            path = System.Text.RegularExpressions.Regex.Replace(path, @"\{\w+\}", "x");
            var method = new HttpMethod(op.Method);
            var anonymous = await api.Send(method, path, null, op.Method == "GET" || op.Method == "DELETE" ? null : "{}");
            if (op.Secured != (anonymous.Status == HttpStatusCode.Unauthorized)) wrong.Add($"{op.Method} {op.Path} without a token: {(int)anonymous.Status}");
            if (op.Roles.Count > 0 && !op.Roles.Contains("Owner"))
            {
                var owner = await api.Send(method, path, "owner-a", op.Method == "GET" || op.Method == "DELETE" ? null : "{}");
                if (owner.Status != HttpStatusCode.Forbidden) wrong.Add($"{op.Method} {op.Path} as an owner: {(int)owner.Status}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("UnfreezeRequest", "reason", 2000)]
    [InlineData("DisableUserRequest", "reason", 2000)]
    [InlineData("ParticipantApplicationRequest", "contact", 200)]
    [InlineData("RegisterParticipantRequest", "contact", 200)]
    [InlineData("ConfirmationRequest", "comment", 2000)]
    [InlineData("RegisterAssetRequest", "receiptNumber", 200)]
    public async Task every_text_member_publishes_its_limit(string schema, string member, int maxLength)
    {
        var doc = JsonNode.Parse((await api.Get("/swagger/v1/swagger.json", null)).Body)!;
        Assert.Equal(maxLength, doc["components"]!["schemas"]![schema]!["properties"]![member]!["maxLength"]!.GetValue<int>());
    }

    /// <summary>
    /// Every text member of every request body publishes a bound (maxLength, a pattern, an enum or a format) and every
    /// list a maxItems, so a client can tell from the document alone what will be refused. Before issue 14 was closed
    /// the chain registry's requests and the token request published none.
    /// </summary>
    [Fact]
    public async Task every_request_member_publishes_its_bound()
    {
        var doc = JsonNode.Parse((await api.Get("/swagger/v1/swagger.json", null)).Body)!;
        var unbounded = new List<string>();
        foreach (var (name, schema) in doc["components"]!["schemas"]!.AsObject().Where(s => s.Key.EndsWith("Request", StringComparison.Ordinal)))
        foreach (var (member, prop) in schema!["properties"]?.AsObject() ?? [])
        {
            var type = prop!["type"]?.ToString();
            if (type == "string" && new[] { "maxLength", "pattern", "enum", "format" }.All(k => prop[k] is null)) unbounded.Add($"{name}.{member}");
            if (type == "array" && prop["maxItems"] is null) unbounded.Add($"{name}.{member} (list)");
        }
        Assert.True(unbounded.Count == 0, "unbounded request members: " + string.Join(", ", unbounded));
    }

    [Fact]
    public async Task roles_publish_their_enum_and_count_and_idempotency_keys_their_pattern()
    {
        var doc = JsonNode.Parse((await api.Get("/swagger/v1/swagger.json", null)).Body)!;
        var roles = doc["components"]!["schemas"]!["ParticipantApplicationRequest"]!["properties"]!["roles"]!;
        Assert.Equal(8, roles["maxItems"]!.GetValue<int>());
        Assert.Equal(["Owner", "TradingCenter", "Warehouse", "FinancialInstitution", "Debtor", "Logistics"], roles["items"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        var key = doc["paths"]!["/api/v1/participants/applications"]!["post"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "Idempotency-Key")!;
        Assert.Equal(200, key["schema"]!["maxLength"]!.GetValue<int>());
        Assert.NotNull(key["schema"]!["pattern"]);
        var limit = doc["paths"]!["/api/v1/ledger/anchors"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "limit")!;
        Assert.Equal((1, 1000), (limit["schema"]!["minimum"]!.GetValue<int>(), limit["schema"]!["maximum"]!.GetValue<int>()));
    }
}
