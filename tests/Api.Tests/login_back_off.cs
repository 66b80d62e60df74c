using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Domain.Users;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 14 item 4: failed logins back off the login from the address they came from, never the owner elsewhere; the
/// counts live in PostgreSQL, so every API instance sees them. Addresses are real connection addresses (127.0.0.x).
/// </summary>
public sealed class login_back_off(ApiServer api) : IClassFixture<ApiServer>
{
    static IPAddress Address(int last) => IPAddress.Parse($"127.0.0.{last}");

    [Fact]
    public async Task a_strangers_failures_from_one_address_do_not_stop_the_owner_logging_in_from_another()
    {
        await api.Token("operator");
        for (var i = 0; i < LoginLimits.FailuresBeforeBackOff + 2; i++)
            await api.LoginFrom(Address(21), "operator", "a stranger's guess " + i);

        var stranger = await api.LoginFrom(Address(21), "operator", ApiServer.OperatorPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, stranger.Status);
        Assert.Equal("auth.login_backoff", stranger.Code);

        var owner = await api.LoginFrom(Address(22), "operator", ApiServer.OperatorPassword);
        Assert.Equal(HttpStatusCode.OK, owner.Status);
    }

    [Fact]
    public async Task a_correct_password_clears_the_failures_before_the_back_off()
    {
        await api.Token("operator");
        for (var i = 0; i < LoginLimits.FailuresBeforeBackOff - 1; i++)
            Assert.Equal("auth.invalid_credentials", (await api.LoginFrom(Address(23), "operator", "typo " + i)).Code);
        Assert.Equal(HttpStatusCode.OK, (await api.LoginFrom(Address(23), "operator", ApiServer.OperatorPassword)).Status);
        Assert.Equal("auth.invalid_credentials", (await api.LoginFrom(Address(23), "operator", "one more typo")).Code);
    }

    [Fact]
    public async Task failures_from_one_address_on_two_instances_add_up()
    {
        await api.Token("operator");
        var second = await api.SecondInstance();
        try
        {
            await Spray(second);
        }
        finally { await second.DisposeAsync(); }
    }

    async Task Spray(ApiServer second)
    {
        for (var i = 0; i < LoginLimits.FailuresPerAddress; i++)
        {
            var reply = await (i % 2 == 0 ? api : second).LoginFrom(Address(24), $"sprayed-{i}", "guess");
            Assert.Equal("auth.invalid_credentials", reply.Code);
        }

        foreach (var instance in new[] { api, second })
        {
            var refused = await instance.LoginFrom(Address(24), "operator", ApiServer.OperatorPassword);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
            Assert.Equal("auth.too_many_failures", refused.Code);
        }
        Assert.Equal(HttpStatusCode.OK, (await second.LoginFrom(Address(25), "operator", ApiServer.OperatorPassword)).Status);
    }
}
