using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Canonical;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.EventStore;

public sealed class appending_and_reading_events : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    readonly PostgresDatabase _db;
    PostgresEventStore _store = null!;

    public appending_and_reading_events(PostgresDatabase db) => _db = db;
    public Task InitializeAsync() { _store = new PostgresEventStore(_db.DataSource); return Task.CompletedTask; }
    public async Task DisposeAsync() => await _store.DisposeAsync();

    static string NewStream() => "test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task a_new_stream_reads_back_its_events_in_version_order_with_a_hash_chain()
    {
        var stream = NewStream();
        var first = await _store.Append(Events.Append(stream, ExpectedVersion.NoStream, Events.Any(), Events.Any()), default);
        var second = await _store.Append(Events.Append(stream, 2, Events.Any()), default);

        var read = await _store.ReadStream(stream, 1, 100, default);

        Assert.Equal(AppendStatus.Appended, first.Status);
        Assert.Equal(3, second.StreamVersion);
        Assert.Equal([1L, 2L, 3L], read.Select(e => e.Version));
        Assert.Null(read[0].PreviousHash);
        Assert.Equal(read[0].Hash, read[1].PreviousHash);
        Assert.Equal(read[1].Hash, read[2].PreviousHash);
        foreach (var e in read)
            Assert.Equal(e.Hash, EventHasher.Compute(e.Data, e.EventId, e.Metadata, e.PreviousHash, e.SchemaVersion, e.StreamId, e.Type, e.Version));
    }

    [Fact]
    public async Task append_optimistic_sad_path_with_a_stale_expected_version_writes_nothing()
    {
        var stream = NewStream();
        await _store.Append(Events.Append(stream, ExpectedVersion.NoStream, Events.Any()), default);

        var stale = await _store.Append(Events.Append(stream, ExpectedVersion.NoStream, Events.Any()), default);

        Assert.Equal(AppendStatus.WrongExpectedVersion, stale.Status);
        Assert.Equal(1, stale.StreamVersion);
        Assert.Single(await _store.ReadStream(stream, 1, 100, default));
    }

    [Fact]
    public async Task append_with_any_version_appends_after_the_current_version()
    {
        var stream = NewStream();
        await _store.Append(Events.Append(stream, ExpectedVersion.NoStream, Events.Any()), default);
        var r = await _store.Append(Events.Append(stream, ExpectedVersion.Any, Events.Any()), default);
        Assert.Equal(2, r.StreamVersion);
    }

    [Fact]
    public async Task a_retried_append_with_the_same_event_ids_writes_nothing_and_returns_the_first_result()
    {
        var stream = NewStream();
        var request = Events.Append(stream, ExpectedVersion.NoStream, Events.Any(), Events.Any());
        var first = await _store.Append(request, default);
        var before = await _db.Scalar<long>("SELECT count(*) FROM events");

        var retry = await _store.Append(request, default);

        Assert.Equal(AppendStatus.AlreadyAppended, retry.Status);
        Assert.Equal(first.Events, retry.Events);
        Assert.Equal(first.StreamVersion, retry.StreamVersion);
        Assert.Equal(before, await _db.Scalar<long>("SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task a_unique_key_can_be_claimed_once_even_by_another_stream()
    {
        var key = "receipt:wh-1:" + Guid.NewGuid();
        var a = await _store.Append(new AppendRequest(NewStream(), ExpectedVersion.NoStream, [Events.Any()], [key]), default);
        var b = await _store.Append(new AppendRequest(NewStream(), ExpectedVersion.NoStream, [Events.Any()], [key]), default);

        Assert.Equal(AppendStatus.Appended, a.Status);
        Assert.Equal(AppendStatus.KeyTaken, b.Status);
        Assert.Equal(key, b.TakenKey);
    }

    [Fact]
    public async Task read_all_returns_events_in_position_order_from_a_checkpoint()
    {
        var head = await _store.HeadPosition(default);
        var stream = NewStream();
        await _store.Append(Events.Append(stream, ExpectedVersion.NoStream, Events.Any(), Events.Any(), Events.Any()), default);

        var read = await _store.ReadAll(head, 10, default);

        Assert.Equal(3, read.Count(e => e.StreamId == stream));
        Assert.True(read.Select(e => e.Position).SequenceEqual(read.Select(e => e.Position).Order()));
    }

    [Fact]
    public async Task the_events_table_refuses_update_and_delete()
    {
        await _store.Append(Events.Append(NewStream(), ExpectedVersion.NoStream, Events.Any()), default);
        var update = await Assert.ThrowsAsync<PostgresException>(() => _db.Scalar<int>("UPDATE events SET type = 'x' RETURNING 1"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => _db.Scalar<int>("DELETE FROM events RETURNING 1"));
        Assert.Contains("append-only", update.MessageText);
        Assert.Contains("append-only", delete.MessageText);
    }

    [Fact]
    public async Task migrations_run_twice_from_two_instances_at_once_without_error()
    {
        await Task.WhenAll(DatabaseMigrator.Migrate(_db.ConnectionString, PostgresDatabase.Owners), DatabaseMigrator.Migrate(_db.ConnectionString, PostgresDatabase.Owners));
        Assert.Equal(1L, await _db.Scalar<long>("SELECT count(*) FROM event_sequence"));
    }
}
