using System.Net;
using AssetLedger.Api.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 21: each instance answers "who calls, with which roles, is it suspended" from its own view of the user and
/// participant streams, fed by the log instead of a read of the streams per request. That view must be exact as of the
/// request: what another instance committed before it is seen, a suspension above all.
/// </summary>
public sealed class callers_seen_through_the_log(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static string ReceiptOf(string owner, string warehouse) =>
        $$"""{"kind":"WarehouseReceipt","ownerId":"{{owner}}","warehouseId":"{{warehouse}}","receiptNumber":"V-{{Guid.NewGuid():N}}","commodity":"copper","quantity":"5","unit":"t"}""";

    async Task<string> LogIn(string login) => (await api.Login(login, "first password 1")).Json["accessToken"]!.GetValue<string>();

    [Fact]
    public async Task a_suspension_and_a_role_committed_on_one_instance_count_on_the_other_at_its_next_command()
    {
        var participant = $"view-{Guid.NewGuid():N}"[..20];
        await api.Participants((participant, "Owner"));
        var login = $"clerk@{participant}";
        Assert.Equal(HttpStatusCode.Created, (await api.Post("/api/v1/users", "operator", new { login, participantId = participant, displayName = "Clerk", password = "first password 1" })).Status);
        var second = await api.SecondInstance();
        try
        {
            var token = await LogIn(login);
            // The second instance now holds the caller's streams in its view.
            Assert.Equal(HttpStatusCode.Created, (await second.SendRaw(HttpMethod.Post, "/api/v1/assets", token, ReceiptOf(participant, "wh-1"))).Status);
            Assert.Equal(HttpStatusCode.Created, (await second.SendRaw(HttpMethod.Post, "/api/v1/assets", token, ReceiptOf(participant, "wh-1"))).Status);

            Assert.Equal(HttpStatusCode.OK, (await api.Post($"/api/v1/participants/{participant}/suspension", "operator", new { reason = "licence expired" })).Status);

            Assert.Equal(HttpStatusCode.Unauthorized, (await second.SendRaw(HttpMethod.Post, "/api/v1/assets", token, ReceiptOf(participant, "wh-1"))).Status);
            var fresh = await LogIn(login);
            Assert.Equal("participant.inactive", (await second.SendRaw(HttpMethod.Post, "/api/v1/assets", fresh, ReceiptOf(participant, "wh-1"))).Code);

            Assert.Equal(HttpStatusCode.OK, (await api.SendRaw(HttpMethod.Delete, $"/api/v1/participants/{participant}/suspension", await api.Token("operator"), null)).Status);
            Assert.Equal(HttpStatusCode.Created, (await second.SendRaw(HttpMethod.Post, "/api/v1/assets", fresh, ReceiptOf(participant, "wh-1"))).Status);

            // A role granted elsewhere counts for the participant named in a command, not only for the caller.
            var asWarehouse = ReceiptOf(participant, participant);
            Assert.NotEqual(HttpStatusCode.Created, (await second.SendRaw(HttpMethod.Post, "/api/v1/assets", fresh, asWarehouse)).Status);
            Assert.Equal(HttpStatusCode.OK, (await api.Post($"/api/v1/participants/{participant}/roles", "operator", new { role = "Warehouse" })).Status);
            Assert.Equal(HttpStatusCode.Created, (await second.SendRaw(HttpMethod.Post, "/api/v1/assets", fresh, asWarehouse.Replace("V-", "W-"))).Status);
        }
        finally { await second.DisposeAsync(); }
    }
}
