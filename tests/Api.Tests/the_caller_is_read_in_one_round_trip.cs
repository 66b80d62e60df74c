using System.Collections.Concurrent;
using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.EventStore;
using Microsoft.Extensions.DependencyInjection;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Authentication takes the token's user and participant from the instance's view of those streams (CallerStreamView,
/// fed by the log): a caller's streams are read at most once, together in one read of the store, when the view first
/// needs them; later requests read no stream of theirs; and the command's actor check reuses that participant.
/// </summary>
public sealed class the_caller_is_read_in_one_round_trip : IAsyncLifetime
{
    readonly CountingStore _counted = new();
    readonly ApiServer _api;

    public the_caller_is_read_in_one_round_trip() => _api = new ApiServer
    {
        ConfigureServices = s => s.AddSingleton<IEventStore>(sp => _counted.Over(sp.GetRequiredService<PostgresEventStore>())),
    };

    public async Task InitializeAsync()
    {
        await _api.InitializeAsync();
        await Cast(_api);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task a_request_reads_its_users_and_participants_streams_together_once()
    {
        await _api.Token("owner-a");
        await _api.ProjectionsCaughtUp(); // the participant projection reads participant streams as it applies their events
        _counted.Clear();

        // A list answers from the read model: whatever the store is asked is authentication's.
        var first = await _api.Get("/api/v1/assets", "owner-a");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.DoesNotContain(_counted.SingleReads, Callers);
        Assert.True(_counted.GroupReads.Count(streams => streams.Any(Callers)) <= 1, string.Join("; ", _counted.GroupReads.Select(g => string.Join(",", g))));
        _counted.Clear();

        var again = await _api.Get("/api/v1/assets", "owner-a");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.DoesNotContain(_counted.SingleReads, Callers);
        Assert.DoesNotContain(_counted.GroupReads, streams => streams.Any(Callers));
    }

    static bool Callers(string stream) => stream.StartsWith("user-", StringComparison.Ordinal) || stream == "participant-owner-a";

    [Fact]
    public async Task a_command_reads_its_actors_stream_no_more_after_authentication()
    {
        await _api.Token("owner-a");
        await _api.ProjectionsCaughtUp(); // the participant projection reads participant streams as it applies their events
        _counted.Clear();

        var registered = await _api.Post("/api/v1/assets", "owner-a", Receipt());

        Assert.Equal(HttpStatusCode.Created, registered.Status);
        Assert.DoesNotContain("participant-owner-a", _counted.SingleReads);
    }

    /// <summary>The real store, with the streams each kind of read asked for.</summary>
    internal sealed class CountingStore
    {
        public ConcurrentQueue<string> SingleReads { get; } = new();
        public ConcurrentQueue<IReadOnlyList<string>> GroupReads { get; } = new();

        public void Clear()
        {
            SingleReads.Clear();
            GroupReads.Clear();
        }

        public IEventStore Over(IEventStore inner) => new Counting(inner, this);

        sealed class Counting(IEventStore inner, CountingStore counts) : IEventStore
        {
            public Task<AppendResult> Append(AppendRequest request, CancellationToken ct) => inner.Append(request, ct);
            public Task<IReadOnlyList<AppendResult>> Append(IReadOnlyList<AppendRequest> requests, CancellationToken ct) => inner.Append(requests, ct);

            public Task<IReadOnlyList<StoredEvent>> ReadStream(string streamId, long fromVersion, int maxCount, CancellationToken ct)
            {
                counts.SingleReads.Enqueue(streamId);
                return inner.ReadStream(streamId, fromVersion, maxCount, ct);
            }

            public Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreams(IReadOnlyList<string> streamIds, int maxCount, CancellationToken ct)
            {
                counts.GroupReads.Enqueue(streamIds);
                return inner.ReadStreams(streamIds, maxCount, ct);
            }

            public Task<IReadOnlyList<StoredEvent>> ReadAll(long afterPosition, int maxCount, CancellationToken ct) => inner.ReadAll(afterPosition, maxCount, ct);
            public Task<long> HeadPosition(CancellationToken ct) => inner.HeadPosition(ct);
            public IAsyncEnumerable<StoredEvent> Subscribe(long afterPosition, CancellationToken ct, int pageSize = 500) => inner.Subscribe(afterPosition, ct, pageSize);
        }
    }
}
