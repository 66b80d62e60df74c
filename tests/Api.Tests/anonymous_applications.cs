using System.Net;
using System.Text.Json;
using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>Issue 14, item 3: an anonymous application is checked whole before anything is recorded.</summary>
public sealed class anonymous_applications(ApiServer api) : IClassFixture<ApiServer>
{
    [Theory]
    [InlineData("half-1", "adminName", "a")]
    [InlineData("half-2", "adminPassword", "short")]
    public async Task an_application_invalid_half_way_records_neither_participant_nor_user(string id, string field, string bad)
    {
        var body = new Dictionary<string, object>
        {
            ["id"] = id, ["name"] = "Half Valid Co.", ["creditCode"] = "91350100M000100Y43", ["contact"] = "Li Na +86 22 5555 0101",
            ["roles"] = new[] { "Owner" }, ["adminLogin"] = $"admin@{id}", ["adminPassword"] = "a long passphrase",
            ["adminName"] = "Admin",
        };
        body[field] = field == "adminName" ? new string('x', 300) : bad;

        var r = await api.SendRaw(HttpMethod.Post, "/api/v1/participants/applications", null, JsonSerializer.Serialize(body));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.Status);
        Assert.Equal(field, r.Json["field"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get($"/api/v1/participants/{id}", "operator")).Status);
        Assert.Equal(0, await api.Scalar($"SELECT count(*) FROM credentials WHERE login = 'admin@{id}'"));
    }
}
