using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Infrastructure.Tests.EventStore;

/// <summary>A split writes its parent's event and every part's first event in one transaction: all of it, or nothing.</summary>
public sealed class appending_to_several_streams_at_once : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    readonly PostgresDatabase _db;
    PostgresEventStore _store = null!;

    public appending_to_several_streams_at_once(PostgresDatabase db) => _db = db;
    public Task InitializeAsync() { _store = new PostgresEventStore(_db.DataSource); return Task.CompletedTask; }
    public async Task DisposeAsync() => await _store.DisposeAsync();

    static string NewStream() => "test-" + Guid.NewGuid().ToString("N");

    /// <summary>A parent with one event, and a split's appends: the parent at version 1, two new parts claiming keys.</summary>
    async Task<(string Parent, AppendRequest[] Split)> Parent()
    {
        var parent = NewStream();
        await _store.Append(Events.Append(parent, ExpectedVersion.NoStream, Events.Any()), default);
        AppendRequest[] split =
        [
            Events.Append(parent, 1, Events.Any("split")),
            new(NewStream(), ExpectedVersion.NoStream, [Events.Any("split-off")], ["part:" + Guid.NewGuid()]),
            new(NewStream(), ExpectedVersion.NoStream, [Events.Any("split-off")], ["part:" + Guid.NewGuid()]),
        ];
        return (parent, split);
    }

    async Task<int> Count(string stream) => (await _store.ReadStream(stream, 1, 100, default)).Count;

    [Fact]
    public async Task every_stream_is_written_with_consecutive_positions_and_every_key_claimed()
    {
        var (parent, split) = await Parent();

        var results = await _store.Append(split, default);

        Assert.All(results, r => Assert.Equal(AppendStatus.Appended, r.Status));
        Assert.Equal([2L, 1L, 1L], results.Select(r => r.StreamVersion));
        var positions = results.SelectMany(r => r.Events).Select(e => e.Position).ToList();
        Assert.Equal(Enumerable.Range(0, 3).Select(i => positions[0] + i), positions);
        Assert.Equal(2, await Count(parent));
        foreach (var key in split.SelectMany(r => r.UniqueKeys ?? []))
            Assert.Equal(1L, await _db.Scalar<long>($"SELECT count(*) FROM unique_keys WHERE key = '{key}'"));
    }

    [Fact]
    public async Task a_taken_part_key_writes_nothing_and_leaves_the_parent_untouched()
    {
        var (parent, split) = await Parent();
        var taken = split[2].UniqueKeys![0];
        await _store.Append(new AppendRequest(NewStream(), ExpectedVersion.NoStream, [Events.Any()], [taken]), default);

        var results = await _store.Append(split, default);

        Assert.All(results, r => Assert.Equal((AppendStatus.KeyTaken, taken), (r.Status, r.TakenKey)));
        Assert.Equal((1, 0, 0), (await Count(parent), await Count(split[1].StreamId), await Count(split[2].StreamId)));
        Assert.Equal(0L, await _db.Scalar<long>($"SELECT count(*) FROM unique_keys WHERE key = '{split[1].UniqueKeys![0]}'"));
    }

    [Fact]
    public async Task a_concurrent_change_of_the_parent_writes_nothing()
    {
        var (parent, split) = await Parent();
        await _store.Append(Events.Append(parent, 1, Events.Any("changed-meanwhile")), default);

        var results = await _store.Append(split, default);

        Assert.All(results, r => Assert.Equal(AppendStatus.WrongExpectedVersion, r.Status));
        Assert.Equal((2, 0, 0), (await Count(parent), await Count(split[1].StreamId), await Count(split[2].StreamId)));
    }

    [Fact]
    public async Task the_same_atomic_append_sent_again_answers_what_the_first_wrote()
    {
        var (parent, split) = await Parent();
        var first = await _store.Append(split, default);

        var again = await _store.Append(split, default);

        Assert.All(again, r => Assert.Equal(AppendStatus.AlreadyAppended, r.Status));
        Assert.Equal(first.SelectMany(r => r.Events), again.SelectMany(r => r.Events));
        Assert.Equal(2, await Count(parent));
    }
}
