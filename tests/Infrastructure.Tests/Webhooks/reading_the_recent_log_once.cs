using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Infrastructure.Webhooks;

namespace AssetLedger.Infrastructure.Tests.Webhooks;

/// <summary>
/// The webhook deliverer's window on the log (<see cref="RecentEvents"/>): subscriptions at the same place share one
/// read, each gets exactly the log after its cursor in order, and one behind the window reads alone without moving it.
/// </summary>
public sealed class reading_the_recent_log_once(PostgresDatabase db) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    PostgresEventStore _store = null!;
    CountingReads _counted = null!;

    public Task InitializeAsync()
    {
        _store = new PostgresEventStore(db.DataSource);
        _counted = new CountingReads(_store);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    async Task<List<long>> Append(int n)
    {
        var positions = new List<long>();
        for (var i = 0; i < n; i++)
        {
            var r = await _store.Append(Events.Append("test-" + Guid.NewGuid().ToString("N"), ExpectedVersion.NoStream, Events.Any()), default);
            positions.Add(r.Events[0].Position);
        }
        return positions;
    }

    [Fact]
    public async Task subscriptions_at_one_place_share_one_read_and_each_gets_the_log_after_its_cursor()
    {
        var start = await _store.HeadPosition(default);
        var first = await Append(5);
        var recent = new RecentEvents(_counted);

        var ten = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => recent.After(start, 100, default)));

        Assert.All(ten, batch => Assert.Equal(first, batch.Select(e => e.Position)));
        Assert.Equal(1, _counted.ReadAlls);

        // From inside the window: from memory, only what follows the cursor, at most the batch size.
        Assert.Equal(first[2..], (await recent.After(first[1], 100, default)).Select(e => e.Position));
        Assert.Equal(first[2..4], (await recent.After(first[1], 2, default)).Select(e => e.Position));
        Assert.Equal(1, _counted.ReadAlls);

        // At its end: one read extends it for everyone.
        var more = await Append(3);
        Assert.Equal(more, (await recent.After(first[^1], 100, default)).Select(e => e.Position));
        Assert.Equal(first[3..].Concat(more), (await recent.After(first[2], 100, default)).Select(e => e.Position));
        Assert.Equal(2, _counted.ReadAlls);
        Assert.Empty(await recent.After(more[^1], 100, default));
        Assert.Equal(3, _counted.ReadAlls);
    }

    [Fact]
    public async Task a_subscription_behind_the_window_reads_alone_and_leaves_the_window_where_it_is()
    {
        var before = await Append(4);
        var start = before[^1];
        var after = await Append(3);
        var recent = new RecentEvents(_counted);
        Assert.Equal(after, (await recent.After(start, 100, default)).Select(e => e.Position));

        var replay = await recent.After(before[0], 100, default);

        Assert.Equal(before[1..].Concat(after), replay.Select(e => e.Position));
        Assert.Equal(2, _counted.ReadAlls);
        Assert.Equal(after[1..], (await recent.After(after[0], 100, default)).Select(e => e.Position));
        Assert.Equal(2, _counted.ReadAlls);
    }

    /// <summary>The real store, counting the log reads that reach it.</summary>
    sealed class CountingReads(IEventStore inner) : IEventStore
    {
        int _readAlls;
        public int ReadAlls => Volatile.Read(ref _readAlls);

        public Task<IReadOnlyList<StoredEvent>> ReadAll(long afterPosition, int maxCount, CancellationToken ct)
        {
            Interlocked.Increment(ref _readAlls);
            return inner.ReadAll(afterPosition, maxCount, ct);
        }

        public Task<AppendResult> Append(AppendRequest request, CancellationToken ct) => inner.Append(request, ct);
        public Task<IReadOnlyList<AppendResult>> Append(IReadOnlyList<AppendRequest> requests, CancellationToken ct) => inner.Append(requests, ct);
        public Task<IReadOnlyList<StoredEvent>> ReadStream(string streamId, long fromVersion, int maxCount, CancellationToken ct) =>
            inner.ReadStream(streamId, fromVersion, maxCount, ct);
        public Task<long> HeadPosition(CancellationToken ct) => inner.HeadPosition(ct);
        public IAsyncEnumerable<StoredEvent> Subscribe(long afterPosition, CancellationToken ct, int pageSize = 500) => inner.Subscribe(afterPosition, ct, pageSize);
    }
}
