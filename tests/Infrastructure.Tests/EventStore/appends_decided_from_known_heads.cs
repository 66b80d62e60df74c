using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Canonical;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.EventStore;

/// <summary>
/// The store decides most appends from the stream heads it already knows and lets the database confirm them
/// (event_store_append). These tests make those heads wrong or incomplete and check that the answers and the
/// hash chains are exactly what deciding from reads would give.
/// </summary>
public sealed class appends_decided_from_known_heads : IClassFixture<PostgresDatabase>
{
    readonly PostgresDatabase _db;
    public appends_decided_from_known_heads(PostgresDatabase db) => _db = db;

    static string NewStream() => "test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task a_head_moved_by_another_instance_gives_a_version_conflict_then_a_good_chain()
    {
        await using var a = new PostgresEventStore(_db.NewDataSource());
        await using var b = new PostgresEventStore(_db.NewDataSource());
        var stream = NewStream();
        await a.Append(Events.Append(stream, ExpectedVersion.NoStream, Events.Any()), default);
        await b.Append(Events.Append(stream, 1, Events.Any(), Events.Any()), default);

        var stale = await a.Append(Events.Append(stream, 1, Events.Any()), default);
        var next = await a.Append(Events.Append(stream, 3, Events.Any()), default);

        Assert.Equal((AppendStatus.WrongExpectedVersion, 3L), (stale.Status, stale.StreamVersion));
        Assert.Equal((AppendStatus.Appended, 4L), (next.Status, next.StreamVersion));
        await AssertChain(a, stream, 4);
    }

    [Fact]
    public async Task a_new_stream_that_another_instance_created_meanwhile_is_refused()
    {
        await using var a = new PostgresEventStore(_db.NewDataSource());
        await using var b = new PostgresEventStore(_db.NewDataSource());
        var stream = NewStream();
        await b.Append(Events.Append(stream, ExpectedVersion.NoStream, Events.Any()), default);

        var r = await a.Append(Events.Append(stream, ExpectedVersion.NoStream, Events.Any()), default);

        Assert.Equal((AppendStatus.WrongExpectedVersion, 1L), (r.Status, r.StreamVersion));
        await AssertChain(a, stream, 1);
    }

    [Fact]
    public async Task an_append_to_a_stream_this_instance_never_saw_reads_its_head()
    {
        await using var a = new PostgresEventStore(_db.NewDataSource());
        var stream = NewStream();
        await using (var b = new PostgresEventStore(_db.NewDataSource()))
            await b.Append(Events.Append(stream, ExpectedVersion.NoStream, Events.Any(), Events.Any()), default);

        var r = await a.Append(Events.Append(stream, 2, Events.Any()), default);

        Assert.Equal((AppendStatus.Appended, 3L), (r.Status, r.StreamVersion));
        await AssertChain(a, stream, 3);
    }

    [Fact]
    public async Task the_same_append_submitted_twice_at_once_is_written_once_and_both_get_its_result()
    {
        await using var store = new PostgresEventStore(_db.DataSource);
        var request = Events.Append(NewStream(), ExpectedVersion.NoStream, Events.Any(), Events.Any());

        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => store.Append(request, default))));

        Assert.Equal([AppendStatus.Appended, AppendStatus.AlreadyAppended], both.Select(r => r.Status).Order());
        Assert.Equal(both[0].Events, both[1].Events);
        Assert.Equal(2, (await store.ReadStream(request.StreamId, 1, 10, default)).Count);
    }

    [Fact]
    public async Task a_key_taken_by_another_instance_is_reported_and_the_rest_of_the_batch_is_written()
    {
        await using var a = new PostgresEventStore(_db.NewDataSource());
        await using var b = new PostgresEventStore(_db.NewDataSource());
        var key = "receipt:wh-1:" + Guid.NewGuid();
        await b.Append(new AppendRequest(NewStream(), ExpectedVersion.NoStream, [Events.Any()], [key]), default);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => a.Append(
            new AppendRequest(NewStream(), ExpectedVersion.NoStream, [Events.Any()], i == 7 ? [key] : ["other:" + Guid.NewGuid()]), default))));

        Assert.Equal(AppendStatus.KeyTaken, results[7].Status);
        Assert.All(results.Where((_, i) => i != 7), r => Assert.Equal(AppendStatus.Appended, r.Status));
    }

    [Fact]
    public async Task the_database_refuses_a_previous_hash_that_is_not_the_stored_one()
    {
        await using var store = new PostgresEventStore(_db.DataSource);
        var stream = NewStream();
        await store.Append(Events.Append(stream, ExpectedVersion.NoStream, Events.Any()), default);

        // As a writer with a wrong idea of the head's hash would call it: version 2 linked to a made-up hash.
        await using var cmd = _db.DataSource.CreateCommand(
            """
            SELECT event_store_append(ARRAY[$1], ARRAY[2::bigint], ARRAY[gen_random_uuid()], ARRAY['t'], ARRAY[1], ARRAY['{}'::jsonb], ARRAY['{}'::jsonb],
                ARRAY[sha256('x')], ARRAY[sha256('wrong')], ARRAY[$1], ARRAY[1::bigint], ARRAY[sha256('wrong')], '{}', '{}', '{}')
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = stream });
        var refused = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());

        Assert.Equal("AL409", refused.SqlState);
        Assert.Single(await store.ReadStream(stream, 1, 10, default));
    }

    [Fact]
    public async Task with_three_batches_in_flight_racing_appends_to_shared_streams_keep_whole_chains_and_a_gap_free_log()
    {
        await using var store = new PostgresEventStore(_db.NewDataSource()) { MaxBatchesInFlight = 3 };
        var start = await store.HeadPosition(default);
        var streams = new[] { NewStream(), NewStream(), NewStream() };
        var appended = 0;
        await Task.WhenAll(Enumerable.Range(0, 12).Select(w => Task.Run(async () =>
        {
            var stream = streams[w % streams.Length];
            for (var i = 0; i < 40; i++)
            {
                var head = (await store.ReadStream(stream, 1, 1000, default)).Count;
                var r = await store.Append(Events.Append(stream, head, Events.Any(), Events.Any()), default);
                if (r.Status == AppendStatus.Appended) Interlocked.Increment(ref appended);
                else Assert.Equal(AppendStatus.WrongExpectedVersion, r.Status);
            }
        })));

        foreach (var stream in streams) await AssertChain(store, stream, (await store.ReadStream(stream, 1, 1000, default)).Count);
        var log = await store.ReadAll(start, 10_000, default);
        Assert.Equal(Enumerable.Range(1, 2 * appended).Select(i => start + i), log.Select(e => e.Position));
    }

    static async Task AssertChain(PostgresEventStore store, string stream, int count)
    {
        var read = await store.ReadStream(stream, 1, 1000, default);
        Assert.Equal(Enumerable.Range(1, count).Select(v => (long)v), read.Select(e => e.Version));
        for (var i = 0; i < read.Count; i++)
        {
            var e = read[i];
            Assert.Equal(i == 0 ? null : read[i - 1].Hash, e.PreviousHash);
            Assert.Equal(e.Hash, EventHasher.Compute(e.Data, e.EventId, e.Metadata, e.PreviousHash, e.SchemaVersion, e.StreamId, e.Type, e.Version));
        }
    }
}
