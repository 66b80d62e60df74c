using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Serialization;
using AssetLedger.Projections.Tests.Support;
using AssetLedger.Projections.Trace;

namespace AssetLedger.Projections.Tests;

/// <summary>
/// Holdings answered from the history tables, at many times and for every participant of the randomised run, equal
/// what the Domain's own fold of each asset's events up to that time says.
/// </summary>
public sealed class holdings_as_of_a_time(Support.Ledger ledger) : IClassFixture<Support.Ledger>
{
    sealed record Expected(HashSet<string> Owned, HashSet<string> Venue, HashSet<string> Frozen, List<string> Confirmed);

    static Expected At(IReadOnlyList<List<(IAssetEvent Event, long Position)>> streams, ParticipantId who, DateTimeOffset? t)
    {
        var e = new Expected([], [], [], []);
        foreach (var stream in streams)
        {
            var upTo = stream.Where(x => t is null || x.Event.At <= t).ToList();
            if (upTo.Count == 0) continue;
            var s = AssetState.From(upTo.Select(x => x.Event));
            var id = s.Id.ToString();
            if (s.Owner == who && s.Status is AssetStatus.Pending or AssetStatus.Active) e.Owned.Add(id);
            if (s.Custody?.Venue == who) e.Venue.Add(id);
            if (s.Freezes.Values.Any(f => f.By == who)) e.Frozen.Add(id);
            e.Confirmed.AddRange(upTo.Where(x => x.Event is AssetConfirmed c && c.By == who).Select(_ => id));
        }
        return e;
    }

    static async Task<List<Holding>> All(HoldingsQueries q, ParticipantId who, DateTimeOffset? t, HoldingRelation relation)
    {
        var items = new List<Holding>();
        string? cursor = null;
        do
        {
            var page = await q.For(who, t, relation, cursor, 7, default);
            var list = relation switch
            {
                HoldingRelation.Owned => page!.Owned, HoldingRelation.HeldAsVenue => page!.HeldAsVenue,
                HoldingRelation.Confirmed => page!.Confirmed, _ => page!.Frozen,
            };
            items.AddRange(list!.Items);
            cursor = list.NextCursor;
        } while (cursor is not null);
        return items;
    }

    [Fact]
    public async Task holdings_at_any_time_equal_a_replay_of_the_events_up_to_that_time()
    {
        await new ProjectionRunner(ledger.Db.DataSource, ledger.Store).CatchUp(default);
        var streams = new Dictionary<string, List<(IAssetEvent, long)>>();
        await foreach (var s in Replay.All(ledger.Store))
            if (s.StreamId.StartsWith("asset-", StringComparison.Ordinal))
                (streams.TryGetValue(s.StreamId, out var l) ? l : streams[s.StreamId] = []).Add(((IAssetEvent)EventSerializer.Instance.Deserialize(s.Type, s.Data), s.Position));
        var all = streams.Values.ToList();
        var times = all.SelectMany(s => s.Select(x => x.Item1.At)).Order().ToList();
        var q = new HoldingsQueries(ledger.Db.DataSource);
        var rng = new Random(5);
        DateTimeOffset?[] asOf = [null, times[0].AddSeconds(-1), .. Enumerable.Range(0, 4).Select(_ => (DateTimeOffset?)times[rng.Next(times.Count)]), times[^1]];

        foreach (var t in asOf)
        foreach (var who in Cast.Everyone.Select(a => a.Id))
        {
            var expected = At(all, who, t);
            var owned = await All(q, who, t, HoldingRelation.Owned);
            Assert.Equal(expected.Owned.Order(), owned.Select(h => h.AssetId).Order());
            Assert.All(owned, h => Assert.Equal(who.Value, h.State.OwnerId));
            Assert.Equal(expected.Venue.Order(), (await All(q, who, t, HoldingRelation.HeldAsVenue)).Select(h => h.AssetId).Order());
            var frozen = await All(q, who, t, HoldingRelation.Frozen);
            Assert.Equal(expected.Frozen.Order(), frozen.Select(h => h.AssetId).Distinct().Order());
            Assert.All(frozen, h => Assert.True(h.State.Frozen));
            var confirmed = await All(q, who, t, HoldingRelation.Confirmed);
            Assert.Equal(expected.Confirmed.Order(), confirmed.Select(h => h.AssetId).Order());
            Assert.True(confirmed.Zip(confirmed.Skip(1)).All(p => (p.First.Since, p.First.SincePosition).CompareTo((p.Second.Since, p.Second.SincePosition)) > 0), "newest first");
        }
        Assert.Null(await q.For(new ParticipantId("nobody"), null, null, null, 10, default));
    }
}
