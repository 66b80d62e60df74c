using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Infrastructure.Tests.EventStore;

/// <summary>
/// <see cref="PostgresEventStore.ReadSince"/>, the read every instance's view of the log makes each round (issue 21): the
/// events of the streams asked for after a position, the head it read them at, and its plan made once per connection.
/// </summary>
public sealed class reading_what_follows_a_position(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task it_reads_the_streams_asked_for_up_to_the_head_and_keeps_its_generic_plan()
    {
        // The service's settings on one connection, so every read runs on it and its prepared statements can be read.
        await using var one = PreparedPlans.OneConnection(db.ConnectionString);
        await using var store = new PostgresEventStore(one);
        await using var writer = new PostgresEventStore(db.DataSource);
        var start = await writer.HeadPosition(default);
        var wanted = "since-" + Guid.NewGuid().ToString("N");
        var other = "other-" + Guid.NewGuid().ToString("N");
        await writer.Append(Events.Append(wanted, ExpectedVersion.NoStream, Events.Any(), Events.Any()), default);
        await writer.Append(Events.Append(other, ExpectedVersion.NoStream, Events.Any()), default);
        var last = await writer.Append(Events.Append(wanted, 2, Events.Any()), default);

        // Npgsql prepares a statement after its fifth use; PostgreSQL then chooses a plan per call, custom for at least five.
        for (var i = 0; i < 12; i++)
        {
            var (head, events) = await store.ReadSince(start, ["since-"], 1000, default);
            Assert.Equal(last.Events[0].Position, head);
            Assert.Equal([(wanted, 1L), (wanted, 2L), (wanted, 3L)], events!.Select(e => (e.StreamId, e.Version)));
        }
        // Too far behind: no events, so the caller reloads instead of reading a long stretch of the log.
        Assert.Null((await store.ReadSince(start, ["since-"], 1, default)).Events);

        var plans = await PreparedPlans.Of(one, "%FROM event_sequence s%");
        Assert.True(plans.Count > 0, "the statement is prepared");
        var (_, generic, custom) = plans[0];
        Assert.True(custom == 0 && generic > 0, $"{custom} custom and {generic} generic plans");
    }
}
