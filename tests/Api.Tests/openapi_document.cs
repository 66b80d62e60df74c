using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>The OpenAPI document is pinned by an approved file: an unintended API change fails here.</summary>
public sealed class openapi_document(ApiServer api) : IClassFixture<ApiServer>
{
    static string ApprovedPath()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir);
        return Path.Combine(dir!, "tests", "Api.Tests", "Approved", "swagger.json");
    }

    [Fact]
    public async Task the_openapi_document_matches_the_approved_one()
    {
        var reply = await api.Get("/swagger/v1/swagger.json", null);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var actual = JsonNode.Parse(reply.Body)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var path = ApprovedPath();
        if (Environment.GetEnvironmentVariable("UPDATE_APPROVED") == "1" || !File.Exists(path))
        {
            File.WriteAllText(path, actual + "\n");
            Assert.Fail($"Wrote {path}; review it, commit it and run again (UPDATE_APPROVED=1 rewrites it after an intended change).");
        }
        Assert.Equal(File.ReadAllText(path).TrimEnd(), actual.TrimEnd());
    }

    [Fact]
    public async Task every_operation_has_a_summary_and_every_write_documents_its_problems()
    {
        var doc = JsonNode.Parse((await api.Get("/swagger/v1/swagger.json", null)).Body)!;
        foreach (var (path, item) in doc["paths"]!.AsObject())
        foreach (var (method, op) in item!.AsObject())
        {
            Assert.False(string.IsNullOrWhiteSpace(op!["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
            if (method == "post" && path != "/api/v1/auth/token" && path != "/api/v1/participants/applications")
            {
                var responses = op["responses"]!.AsObject();
                foreach (var status in new[] { "400", "401", "409", "422" })
                    Assert.True(responses.ContainsKey(status), $"{method} {path} does not document {status}");
                Assert.Equal("application/problem+json", responses["422"]!["content"]!.AsObject().First().Key);
            }
        }
    }

    [Fact]
    public async Task swagger_ui_is_served()
    {
        var reply = await api.Get("/swagger/index.html", null);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains("swagger-ui", reply.Body);
    }
}
