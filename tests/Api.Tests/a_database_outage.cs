using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 15 items 3 and 4: while PostgreSQL is down, requests get a 503 problem with Retry-After that says the outcome
/// is unknown (never a 500 logged as unhandled), readiness says unavailable, and when it is back the service heals by
/// itself: a prompt retry of a request cut off mid-way runs once, writes work, the workers catch up. On a cluster of the
/// test's own, stopped with <c>-m immediate</c> as a crash would.
/// </summary>
public sealed class a_database_outage : IAsyncLifetime
{
    ThrowawayCluster _cluster = null!;
    ApiServer _api = null!;
    readonly LogCapture _logs = new();

    public async Task InitializeAsync()
    {
        _cluster = await ThrowawayCluster.Create();
        _api = new ApiServer { Server = _cluster.ConnectionString, ConfigureServices = s => s.AddSingleton<ILoggerProvider>(_logs) };
        await _api.InitializeAsync();
        await Cast(_api);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task requests_get_503_with_retry_after_meanwhile_and_the_service_heals_by_itself()
    {
        await Pending(_api);
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var body = Receipt();
        Task<Reply> inFlight;
        await using (var held = await SequenceLock.Hold(_api.ConnectionString))
        {
            inFlight = _api.Post("/api/v1/assets", "owner-a", body, key);
            await Eventually.WaitUntil(async () => await held.Waiting() > 0, "the registration's append to wait for the sequence lock");
            await _cluster.StopImmediately();
        }
        AssertUnknownOutcome(await inFlight);
        AssertUnknownOutcome(await _api.Post("/api/v1/assets", "owner-a", Receipt(), ("Idempotency-Key", Guid.NewGuid().ToString())));
        var ready = await _api.Get("/health/ready", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Equal("unavailable", ready.Json["status"]!.GetValue<string>());

        await _cluster.Start();
        // The request cut off never committed: a prompt retry finds its key free (not "in progress" for a minute) and runs it once.
        var retry = await WhileUnavailable(() => _api.Post("/api/v1/assets", "owner-a", body, key));
        Assert.True(retry.Status == HttpStatusCode.Created, retry.ToString());
        Assert.False(retry.Replayed);
        Assert.Equal(1, await _api.Scalar($"SELECT count(*) FROM events WHERE metadata->>'idempotencyKey' = '{key.Item2}'"));
        var again = await _api.Post("/api/v1/assets", "owner-a", body, key);
        Assert.True(again.Replayed);

        // Without a restart of the API: projections, tree and checkpoints resume.
        var position = retry.Json["events"]![0]!["position"]!.GetValue<long>();
        await Eventually.WaitUntil(async () => await _api.Scalar("SELECT min(position) FROM projection_checkpoints") >= position, "the projections to pass the new event");
        await Eventually.WaitUntil(async () => await _api.Scalar("SELECT coalesce(max(tree_size), 0) FROM checkpoints") >= await _api.Scalar("SELECT last_position FROM event_sequence"),
            "a checkpoint over every event");
        await Eventually.WaitUntil(async () => (await _api.Get("/health/ready", null)).Status == HttpStatusCode.OK, "readiness");
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Error && e.Category.EndsWith("ProblemExceptionHandler", StringComparison.Ordinal));
    }

    static void AssertUnknownOutcome(Reply reply)
    {
        Assert.True(reply.Status == HttpStatusCode.ServiceUnavailable, reply.ToString());
        Assert.Equal("service.unavailable", reply.Code);
        Assert.Contains("outcome of this request is unknown", reply.Json["detail"]!.GetValue<string>());
        Assert.NotNull(reply.RetryAfter);
    }

    /// <summary>A client retries a 503 after its Retry-After; the first tries after the restart may still meet a connection the crash broke.</summary>
    static async Task<Reply> WhileUnavailable(Func<Task<Reply>> send)
    {
        Reply reply = null!;
        await Eventually.WaitUntil(async () => (reply = await send()).Status != HttpStatusCode.ServiceUnavailable, "an answer other than 503");
        return reply;
    }
}
