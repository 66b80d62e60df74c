using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Idempotency;
using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Infrastructure.Tests.EventStore;

/// <summary>
/// Issue 21: an append may carry its request's Idempotency-Key (<see cref="AppendRequest.Claim"/>), reserved in the same
/// transaction as its events, and the answers of keyed requests ride in the writer's next batch. A key held by another request
/// refuses that append alone (nothing of it written), whichever way the batch was decided.
/// </summary>
public sealed class idempotency_keys_reserved_by_the_append(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    static string NewStream() => "test-" + Guid.NewGuid().ToString("N");

    static IdempotencyClaim NewClaim(string? key = null) => new(new IdempotencyKey("owner-a", key ?? Guid.NewGuid().ToString()), [1, 2, 3]);

    static AppendRequest Claiming(string stream, IdempotencyClaim claim) => Events.Append(stream, ExpectedVersion.NoStream, Events.Any()) with { Claim = claim };

    async Task<long> Count(string sql) => await db.Scalar<long>(sql);

    [Fact]
    public async Task the_key_is_reserved_in_the_transaction_of_the_events()
    {
        await using var store = new PostgresEventStore(db.NewDataSource());
        var claim = NewClaim();

        var r = await store.Append(Claiming(NewStream(), claim), default);

        Assert.Equal(AppendStatus.Appended, r.Status);
        // now() is the transaction's start: equal only when the key and the event were written by one transaction.
        Assert.Equal(1L, await Count($"""
            SELECT count(*) FROM idempotency_keys i JOIN events e ON e.event_id = '{r.Events[0].EventId}'
            WHERE i.key = '{claim.Key.Key}' AND i.reserved_at = e.recorded_at AND i.completed_at IS NULL AND i.request_hash = '\x010203'
            """));
    }

    [Fact]
    public async Task a_held_key_refuses_its_append_alone_and_writes_nothing_of_it()
    {
        await using var store = new PostgresEventStore(db.NewDataSource());
        var key = Guid.NewGuid().ToString();
        await store.Append(Claiming(NewStream(), NewClaim(key)), default);
        var (again, other) = (NewStream(), NewStream());

        // Both in flight at once: the store batches them, and the held key must not cost the other append its write.
        var results = await Task.WhenAll(store.Append(Claiming(again, NewClaim(key)), default), store.Append(Claiming(other, NewClaim()), default));

        Assert.Equal((AppendStatus.KeyTaken, IdempotencyClaim.TakenKey), (results[0].Status, results[0].TakenKey));
        Assert.Equal(AppendStatus.Appended, results[1].Status);
        Assert.Empty(await store.ReadStream(again, 1, 10, default));
        Assert.Single(await store.ReadStream(other, 1, 10, default));
    }

    [Fact]
    public async Task two_appends_of_one_batch_claiming_one_key_write_one()
    {
        await using var store = new PostgresEventStore(db.NewDataSource());
        var key = Guid.NewGuid().ToString();
        var streams = Enumerable.Range(0, 6).Select(_ => NewStream()).ToArray();

        var results = await Task.WhenAll(streams.Select(s => store.Append(Claiming(s, NewClaim(key)), default)));

        Assert.Single(results, r => r.Status == AppendStatus.Appended);
        Assert.All(results.Where(r => r.Status != AppendStatus.Appended), r => Assert.Equal(IdempotencyClaim.TakenKey, r.TakenKey));
        Assert.Equal(1L, await Count($"SELECT count(*) FROM events WHERE stream_id IN ({string.Join(", ", streams.Select(s => $"'{s}'"))})"));
    }

    [Fact]
    public async Task an_answer_is_stored_by_the_writer_with_or_without_appends_to_carry_it()
    {
        await using var store = new PostgresEventStore(db.NewDataSource());
        var keys = new PostgresIdempotencyStore(db.DataSource, store);
        var (first, second) = (NewClaim(), NewClaim());
        await store.Append(Claiming(NewStream(), first), default);
        await store.Append(Claiming(NewStream(), second), default);

        // Alone (no append waiting), then beside an append that carries it.
        await keys.Complete(first.Key, new IdempotentAnswer(201, "application/json", "/x/1", "\"1\"", [7]), default);
        var carried = keys.Complete(second.Key, new IdempotentAnswer(409, null, null, null, null), default);
        await store.Append(Events.Append(NewStream(), ExpectedVersion.NoStream, Events.Any()), default);
        await carried;

        var entry = await keys.Reserve(first.Key, first.RequestHash, _ => throw new InvalidOperationException("not lost"), default);
        Assert.Equal((201, "/x/1", "\"1\""), (entry!.Answer!.Status, entry.Answer.Location, entry.Answer.ETag));
        Assert.Equal(409, (await keys.Reserve(second.Key, second.RequestHash, _ => throw new InvalidOperationException("not lost"), default))!.Answer!.Status);
    }
}
