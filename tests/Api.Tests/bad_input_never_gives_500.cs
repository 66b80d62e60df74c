using System.Net;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>Whatever a client sends, the answer is a 4xx problem that changes nothing — never a 500.</summary>
public sealed class bad_input_never_gives_500(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static readonly string[] Paths = ["", "/confirmations", "/amendments", "/transfer-offer", "/transfer-offer/accept", "/transfer-offer/decline",
        "/transfer-offer/withdraw", "/transfer-out", "/return", "/freeze", "/unfreeze", "/cancel", "/evidence"];

    static readonly string?[] Bodies = [null, "", "{", "[]", "null", "42", "\"text\"", "{\"approve\":\"yes\"}", "{\"kind\":null}",
        "{\"quantity\":1200.5}", "{\"toId\":123}", "{\"venueId\":\"bank-1\",\"purpose\":7}", "{\"reason\":" + new string('x', 5000).Insert(0, "\"") + "\"}",
        "{\"sha256\":[1,2]}", "{\"id\":\"\\u0000\"}", "{\"kind\":\"WarehouseReceipt\",\"ownerId\":\"owner-a\",\"warehouseId\":\"WH 1; DROP TABLE events\"}",
        "{\"dueDate\":\"9999-99-99\"}", "{\"amount\":\"79228162514264337593543950336\"}"];

    [Fact]
    public async Task garbage_bodies_on_every_post_are_answered_with_4xx_problems_and_write_nothing()
    {
        var id = await Active(api);
        var before = await api.Scalar("SELECT count(*) FROM events");
        foreach (var path in Paths)
        foreach (var body in Bodies)
        {
            var target = path.Length == 0 ? "/api/v1/assets" : $"/api/v1/assets/{id}{path}";
            var r = await api.Send(HttpMethod.Post, target, "owner-a", body);
            var status = (int)r.Status;
            Assert.True(status is >= 400 and < 500, $"POST {target} with {body ?? "(no body)"} → {r}");
            Assert.Equal("application/problem+json", r.ContentType);
        }
        Assert.Equal(before, await api.Scalar("SELECT count(*) FROM events"));
    }

    static readonly string[] ChainPaths = ["/api/v1/chains/alliances", "/api/v1/chains/alliances/garbage-co/members", "/api/v1/chains/alliances/garbage-co/networks",
        "/api/v1/chains/alliances/garbage-co/networks/besu/endpoints", "/api/v1/chains/alliances/garbage-co/networks/besu/channels",
        "/api/v1/chains/alliances/garbage-co/contracts", "/api/v1/chains/alliances/garbage-co/targets", "/api/v1/chains/targets/garbage-target/activation",
        "/api/v1/chains/targets/garbage-target/credentials", "/api/v1/chains/targets/garbage-target/contract", "/api/v1/chains/alliances/%20x/networks"];

    [Fact]
    public async Task garbage_bodies_on_every_chain_post_are_answered_with_4xx_problems_and_write_nothing()
    {
        foreach (var (path, body) in new[]
                 {
                     ("/api/v1/chains/alliances", """{"allianceId":"garbage-co","name":"Garbage","members":[{"name":"Org One"}]}"""),
                     ("/api/v1/chains/alliances/garbage-co/networks", """{"networkId":"besu","name":"Besu","kind":"evm","endpoints":["http://127.0.0.1:8545"],"chainId":1}"""),
                     ("/api/v1/chains/alliances/garbage-co/contracts", """{"contractId":"c","networkId":"besu","abiVersion":"1"}"""),
                     ("/api/v1/chains/alliances/garbage-co/targets", """{"name":"garbage-target","contractId":"c","credentials":{"privateKeyEnv":"K"}}"""),
                 })
            Assert.Equal(System.Net.HttpStatusCode.Created, (await api.Send(HttpMethod.Post, path, "operator", body)).Status);
        var before = await api.Scalar("SELECT count(*) FROM events");
        string?[] chainBodies = [.. Bodies, "{\"members\":[null]}", "{\"endpoints\":[null]}", "{\"tlsRootCertificates\":[null]}", "{\"credentials\":null}",
            "{\"credentials\":{\"privateKeyFile\":\"\"}}", "{\"chainId\":1e400}", "{\"active\":null}", "{\"kind\":\"evm\",\"endpoints\":\"http://x\"}"];
        foreach (var path in ChainPaths)
        foreach (var body in chainBodies)
        {
            var r = await api.Send(HttpMethod.Post, path, "operator", body);
            Assert.True((int)r.Status is >= 400 and < 500, $"POST {path} with {body ?? "(no body)"} → {r}");
            Assert.True(r.ContentType == "application/problem+json", $"POST {path} with {body ?? "(no body)"} → {r} ({r.ContentType})");
        }
        Assert.Equal(before, await api.Scalar("SELECT count(*) FROM events"));
    }

    [Theory]
    [InlineData("/api/v1/assets/%00")]
    [InlineData("/api/v1/assets/' OR 1=1 --")]
    [InlineData("/api/v1/participants/' OR 1=1 --")]
    [InlineData("/api/v1/nothing-here")]
    public async Task odd_paths_are_4xx(string path)
    {
        var r = await api.Get(path, "owner-a");
        Assert.InRange((int)r.Status, 400, 499);
    }

    [Fact]
    public async Task a_wrong_content_type_is_415_with_a_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assets") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await api.Token("owner-a"));
        using var response = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("request.unsupported_media_type", await response.Content.ReadAsStringAsync());
    }
}
