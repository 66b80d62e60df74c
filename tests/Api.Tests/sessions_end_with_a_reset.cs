using System.Net;
using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14 item 5: a password reset, a disable, a role revocation and a suspension end the user's sessions at once:
/// the access and refresh tokens issued before are refused right after, on the other instance too.
/// </summary>
public sealed class sessions_end_with_a_reset(TwoInstances instances) : IClassFixture<TwoInstances>
{
    ApiServer Api => instances.First;
    ApiServer Second => instances.Second;

    sealed record Session(string Access, string Refresh);

    async Task<Session> LogIn(string login, string password)
    {
        var reply = await Api.Login(login, password);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return new Session(reply.Json["accessToken"]!.GetValue<string>(), reply.Json["refreshToken"]!.GetValue<string>());
    }

    /// <summary>A participant of its own with one user, logged in twice (one refresh token for each instance).</summary>
    async Task<(string Login, Session A, Session B)> UserOf(string participant, params string[] roles)
    {
        await Api.Participants((participant, roles[0]));
        for (var i = 1; i < roles.Length; i++)
            Assert.Equal(HttpStatusCode.OK, (await Api.Post($"/api/v1/participants/{participant}/roles", "operator", new { role = roles[i] })).Status);
        var login = $"clerk@{participant}";
        Assert.Equal(HttpStatusCode.Created, (await Api.Post("/api/v1/users", "operator", new { login, participantId = participant, displayName = "Clerk", password = "first password 1" })).Status);
        var (a, b) = (await LogIn(login, "first password 1"), await LogIn(login, "first password 1"));
        foreach (var instance in new[] { Api, Second })
            Assert.Equal(HttpStatusCode.OK, (await instance.SendRaw(HttpMethod.Get, "/api/v1/users/me", a.Access, null)).Status);
        return (login, a, b);
    }

    async Task AssertEnded(Session a, Session b)
    {
        foreach (var instance in new[] { Api, Second })
        {
            var read = await instance.SendRaw(HttpMethod.Get, "/api/v1/users/me", a.Access, null);
            Assert.Equal(HttpStatusCode.Unauthorized, read.Status);
            Assert.Equal("auth.required", read.Code);
        }
        var refreshes = new[] { (Api, a.Refresh), (Second, b.Refresh) };
        foreach (var (instance, refresh) in refreshes)
        {
            var reply = await instance.SendRaw(HttpMethod.Post, "/api/v1/auth/token", null, $$"""{"refreshToken":"{{refresh}}"}""");
            Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
            Assert.Equal("auth.invalid_refresh_token", reply.Code);
        }
    }

    [Fact]
    public async Task a_password_reset_by_the_operator_ends_every_token_issued_before()
    {
        var (login, a, b) = await UserOf("reset-1", "Owner");

        Assert.Equal(HttpStatusCode.OK, (await Api.Post($"/api/v1/users/{login}/password", "operator", new { password = "second password 2" })).Status);

        await AssertEnded(a, b);
        Assert.Equal("auth.invalid_credentials", (await Api.Login(login, "first password 1")).Code);
        var fresh = await LogIn(login, "second password 2");
        Assert.Equal(HttpStatusCode.OK, (await Second.SendRaw(HttpMethod.Get, "/api/v1/users/me", fresh.Access, null)).Status);
    }

    [Fact]
    public async Task disabling_a_user_ends_every_token_issued_before()
    {
        var (login, a, b) = await UserOf("disable-1", "Owner");

        Assert.Equal(HttpStatusCode.OK, (await Api.Post($"/api/v1/users/{login}/disable", "operator", new { reason = "left the company" })).Status);

        await AssertEnded(a, b);
        Assert.Equal("auth.user_disabled", (await Api.Login(login, "first password 1")).Code);
    }

    [Fact]
    public async Task revoking_a_role_ends_every_token_of_the_participants_users()
    {
        var (login, a, b) = await UserOf("revoke-1", "Regulator", "Owner");

        Assert.Equal(HttpStatusCode.OK, (await Api.Send(HttpMethod.Delete, "/api/v1/participants/revoke-1/roles/Regulator", "operator", null)).Status);

        await AssertEnded(a, b);
        var fresh = await LogIn(login, "first password 1");
        Assert.Equal(HttpStatusCode.OK, (await Second.SendRaw(HttpMethod.Get, "/api/v1/users/me", fresh.Access, null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Second.SendRaw(HttpMethod.Get, "/api/v1/ledger/integrity?from=1&to=1", fresh.Access, null)).Status);
    }

    [Fact]
    public async Task suspending_a_participant_ends_every_token_of_its_users()
    {
        var (login, a, b) = await UserOf("suspend-1", "Owner");

        Assert.Equal(HttpStatusCode.OK, (await Api.Post("/api/v1/participants/suspend-1/suspension", "operator", new { reason = "licence expired" })).Status);

        await AssertEnded(a, b);
        // A suspended participant's users may still log in and read; they cannot act on assets.
        var fresh = await LogIn(login, "first password 1");
        var receipt = """{"kind":"WarehouseReceipt","ownerId":"suspend-1","warehouseId":"suspend-1","receiptNumber":"SUSP-1","commodity":"copper","quantity":"5","unit":"t"}""";
        Assert.Equal("participant.inactive", (await Second.SendRaw(HttpMethod.Post, "/api/v1/assets", fresh.Access, receipt)).Code);
    }

    [Fact]
    public async Task a_role_grant_leaves_the_sessions_alone()
    {
        var (_, a, _) = await UserOf("grant-1", "Owner");

        Assert.Equal(HttpStatusCode.OK, (await Api.Post("/api/v1/participants/grant-1/roles", "operator", new { role = "Warehouse" })).Status);

        Assert.Equal(HttpStatusCode.OK, (await Second.SendRaw(HttpMethod.Get, "/api/v1/users/me", a.Access, null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendRaw(HttpMethod.Post, "/api/v1/auth/token", null, $$"""{"refreshToken":"{{a.Refresh}}"}""")).Status);
    }
}
