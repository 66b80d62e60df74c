using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;

namespace AssetLedger.Api.Tests;

/// <summary>The real PBKDF2 hasher, counting its verifications: the work a login does is observable without a clock.</summary>
public sealed class CountingPasswordHasher(IPasswordHasher inner) : IPasswordHasher
{
    int _verifications;
    public int Verifications => Volatile.Read(ref _verifications);
    public string Hash(string password) => inner.Hash(password);
    public bool Verify(string hash, string password)
    {
        Interlocked.Increment(ref _verifications);
        return inner.Verify(hash, password);
    }
}

public sealed class ApiWithCountingHasher : IAsyncLifetime
{
    public CountingPasswordHasher Hasher { get; } = new(new IdentityPasswordHasher());
    public ApiServer Api { get; }
    public ApiWithCountingHasher() => Api = new ApiServer { ConfigureServices = s => s.AddSingleton<IPasswordHasher>(Hasher) };
    public Task InitializeAsync() => Api.InitializeAsync();
    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>Issue 14 item 6: an unknown login and a wrong password do the same work and get the same answer.</summary>
public sealed class login_answers_reveal_no_logins(ApiWithCountingHasher fixture) : IClassFixture<ApiWithCountingHasher>
{
    ApiServer Api => fixture.Api;

    async Task<(Reply Reply, int Verifications)> Counted(string login, string password)
    {
        var before = fixture.Hasher.Verifications;
        var reply = await Api.Login(login, password);
        return (reply, fixture.Hasher.Verifications - before);
    }

    static void SameAnswer(Reply expected, Reply actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Code, actual.Code);
        Assert.Equal(expected.Json["detail"]!.GetValue<string>(), actual.Json["detail"]!.GetValue<string>());
        Assert.Equal(expected.Json["title"]!.GetValue<string>(), actual.Json["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_unknown_login_runs_the_password_hash_once_like_a_wrong_password()
    {
        await Api.Token("operator");

        var wrong = await Counted("operator", "not the operator's password");
        var unknown = await Counted("nobody.here", "not the operator's password");

        Assert.Equal(1, wrong.Verifications);
        Assert.Equal(1, unknown.Verifications);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Reply.Status);
        SameAnswer(wrong.Reply, unknown.Reply);
    }

    [Fact]
    public async Task after_five_failures_an_unknown_login_is_answered_like_an_existing_one()
    {
        await Api.Token("operator");
        var address = IPAddress.Parse("127.0.0.61");
        for (var i = 0; i < 5; i++)
        {
            SameAnswer((await Api.LoginFrom(address, "operator", "wrong " + i)), (await Api.LoginFrom(address, "nobody.there", "wrong " + i)));
        }
        var existing = await Api.LoginFrom(address, "operator", "wrong again");
        var unknown = await Api.LoginFrom(address, "nobody.there", "wrong again");
        Assert.Equal(HttpStatusCode.TooManyRequests, existing.Status);
        SameAnswer(existing, unknown);
    }
}
