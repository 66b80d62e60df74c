using AssetLedger.Api.Hosting;
using AssetLedger.Infrastructure;
using AssetLedger.Api.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly.Timeout;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 15, found by the soak: an instance started while PostgreSQL was restarting died at start-up (a connect time-out
/// in the migrator, unhandled, the process aborted) and stayed down. Its start-up now waits for an unreachable database,
/// for a bounded time, and still ends at once on any other error. The unreachable database here is a real connection
/// refused on a loopback port nobody listens on.
/// </summary>
public sealed class starting_before_the_database
{
    static async Task Unreachable()
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={TestWitness.FreePort()};Username=postgres;Timeout=1");
        await connection.OpenAsync();
    }

    [Fact]
    public async Task an_unreachable_database_is_waited_for_until_it_answers()
    {
        var attempts = 0;
        await DatabaseStartup.UntilReachable(async () => { if (++attempts < 3) await Unreachable(); }, new PostgresFaults(), NullLogger.Instance, TimeSpan.FromMinutes(1), default);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task any_other_error_ends_the_start_at_once()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseStartup.UntilReachable(() =>
        {
            attempts++;
            throw new InvalidOperationException("Could not create the operator participant");
        }, new PostgresFaults(), NullLogger.Instance, TimeSpan.FromMinutes(1), default));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task the_wait_is_bounded() =>
        await Assert.ThrowsAsync<TimeoutRejectedException>(() =>
            DatabaseStartup.UntilReachable(Unreachable, new PostgresFaults(), NullLogger.Instance, TimeSpan.FromSeconds(3), default));
}
