using System.Net;
using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14 item 3: rejecting an application first releases its users (their logins, credentials and tokens end), then
/// frees its id, so the organisation can apply again and nobody inherits a login into the id.
/// </summary>
public sealed class rejected_applications_free_their_id(ApiServer api) : IClassFixture<ApiServer>
{
    async Task Reject(string id) =>
        Assert.Equal(HttpStatusCode.OK, (await api.Post($"/api/v1/participants/{id}/verification", "operator", new { approve = false, reason = "credit code does not match the licence" })).Status);

    [Fact]
    public async Task a_rejected_applicant_applies_again_with_the_same_id_and_login_and_the_old_password_is_dead()
    {
        Assert.Equal(HttpStatusCode.Created, (await api.Apply("again-1", "admin@again-1", "first passphrase 1")).Status);
        var old = await api.Login("admin@again-1", "first passphrase 1");
        Assert.Equal(HttpStatusCode.OK, old.Status);

        await Reject("again-1");

        Assert.Equal("auth.invalid_credentials", (await api.Login("admin@again-1", "first passphrase 1")).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendRaw(HttpMethod.Get, "/api/v1/users/me", old.Json["accessToken"]!.GetValue<string>(), null)).Status);
        var refresh = await api.SendRaw(HttpMethod.Post, "/api/v1/auth/token", null, $$"""{"refreshToken":"{{old.Json["refreshToken"]!.GetValue<string>()}}"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.Status);

        var again = await api.Apply("again-1", "admin@again-1", "second passphrase 2");

        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Equal("Applied", again.Json["status"]!.GetValue<string>());
        Assert.Equal("auth.invalid_credentials", (await api.Login("admin@again-1", "first passphrase 1")).Code);
        var fresh = await api.Login("admin@again-1", "second passphrase 2");
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendRaw(HttpMethod.Get, "/api/v1/users/me", old.Json["accessToken"]!.GetValue<string>(), null)).Status);
        var me = await api.SendRaw(HttpMethod.Get, "/api/v1/users/me", fresh.Json["accessToken"]!.GetValue<string>(), null);
        Assert.Equal("again-1", me.Json["participantId"]!.GetValue<string>());
    }

    [Fact]
    public async Task after_a_rejection_the_old_login_cannot_log_in_into_the_id_applied_for_anew()
    {
        Assert.Equal(HttpStatusCode.Created, (await api.Apply("again-2", "first@again-2", "first passphrase 1")).Status);
        await Reject("again-2");

        Assert.Equal(HttpStatusCode.Created, (await api.Apply("again-2", "second@again-2", "second passphrase 2")).Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Login("first@again-2", "first passphrase 1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.Login("second@again-2", "second passphrase 2")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Post("/api/v1/users/first@again-2/password", "operator", new { password = "a new password 3" })).Status);
    }

    [Fact]
    public async Task a_pending_or_verified_id_is_still_taken()
    {
        Assert.Equal(HttpStatusCode.Created, (await api.Apply("taken-1", "admin@taken-1", "first passphrase 1")).Status);

        var twice = await api.Apply("taken-1", "other@taken-1", "first passphrase 1");

        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Equal("participant.exists", twice.Code);
    }
}
