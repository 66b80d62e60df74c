using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Security;
using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Infrastructure.Tests.Security;

/// <summary>Issue 14, item 1: a new login is claimed once, with its credential, and released when not kept.</summary>
public sealed class claiming_a_login(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    static string NewLogin() => "claim-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task a_claim_not_kept_leaves_no_credential_and_the_login_free()
    {
        var store = new PostgresCredentialStore(db.DataSource);
        var login = NewLogin();

        await using (var claim = await store.Claim(login, "user-" + login, "hash-1", default))
            Assert.NotNull(claim);

        Assert.Null(await store.Find(login, default));
        await using var again = await store.Claim(login, "user-" + login, "hash-2", default);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task a_rival_claim_waits_for_the_first_and_gets_nothing_once_the_user_is_recorded()
    {
        var store = new PostgresCredentialStore(db.DataSource);
        var rivalStore = new PostgresCredentialStore(db.NewDataSource());
        var login = NewLogin();
        var first = await store.Claim(login, "user-" + login, "first-hash", default);
        Assert.NotNull(first);

        var rival = rivalStore.Claim(login, "user-" + login, "rival-hash", default);
        // The first creator records its user, then keeps its claim; only then may the rival's claim finish.
        await using (var events = new PostgresEventStore(db.DataSource))
            await events.Append(Events.Append("user-" + login, ExpectedVersion.NoStream, Events.Any()), default);
        Assert.False(rival.IsCompleted);
        await first!.Keep(default);
        await first.DisposeAsync();

        Assert.Null(await rival);
        Assert.Equal("first-hash", (await store.Find(login, default))!.Hash);
    }
}
