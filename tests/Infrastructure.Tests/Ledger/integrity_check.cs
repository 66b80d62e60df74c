using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Infrastructure.Tests.Ledger;

public sealed class integrity_check : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    async Task<LedgerParts> LedgerWith(int events)
    {
        var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new TestClock(LedgerParts.T0));
        await l.AppendEvents(events);
        await l.Builder.CatchUp(default);
        await l.Cutter.TryCut(default);
        return l;
    }

    Task Tamper(string sql) => _db.Scalar<int>($"ALTER TABLE events DISABLE TRIGGER USER; {sql}; ALTER TABLE events ENABLE TRIGGER USER; SELECT 1");

    [Fact]
    public async Task an_untouched_ledger_passes()
    {
        await using var l = await LedgerWith(600);

        var report = await l.Service.CheckIntegrity(1, long.MaxValue, default);

        Assert.True(report.Ok, string.Join("; ", report.Problems.Select(p => p.Message)));
        Assert.Equal(600, report.EventsChecked);
    }

    [Fact]
    public async Task an_event_whose_data_was_changed_is_named_by_its_position()
    {
        await using var l = await LedgerWith(300);
        await Tamper("UPDATE events SET data = jsonb_set(data, '{i}', '999') WHERE position = 123");

        var report = await l.Service.CheckIntegrity(1, 300, default);

        Assert.False(report.Ok);
        Assert.Equal(123, report.FirstBadPosition);
        Assert.Contains(report.Problems, p => p is { Position: 123, Kind: "event-hash" });
    }

    [Fact]
    public async Task an_event_whose_stored_hash_was_rewritten_to_match_is_caught_by_the_chain_and_the_tree()
    {
        await using var l = await LedgerWith(40);
        // A careful forger recomputes the hash after changing the data: the next event's link and the leaf still disagree.
        var events = await l.Store.ReadAll(0, 100, default);
        var target = events.Single(e => e.Position == 10);
        var forged = AssetLedger.Ledger.Canonical.EventHasher.Compute("""{"i":999,"prefix":"s"}""", target.EventId, target.Metadata, target.PreviousHash, target.SchemaVersion, target.StreamId, target.Type, target.Version);
        await Tamper($"UPDATE events SET data = '{{\"i\":999,\"prefix\":\"s\"}}', hash = '\\x{forged}' WHERE position = 10");

        var report = await l.Service.CheckIntegrity(1, 40, default);

        Assert.Equal(10, report.FirstBadPosition);
        Assert.Contains(report.Problems, p => p is { Position: 10, Kind: "leaf" });
        Assert.Contains(report.Problems, p => p is { Position: 11, Kind: "chain" });
    }

    [Fact]
    public async Task a_changed_tree_node_is_named_by_the_first_position_under_it()
    {
        await using var l = await LedgerWith(520);
        // Replace the stored hash over positions 257..512 (tile level 1, entry 1).
        await _db.Scalar<int>("UPDATE merkle_tiles SET hashes = overlay(hashes placing sha256('x') from 33 for 32) WHERE tile_level = 1 AND tile_index = 0; SELECT 1");

        var report = await l.Service.CheckIntegrity(1, 520, default);

        Assert.Equal(257, report.FirstBadPosition);
        Assert.Contains(report.Problems, p => p is { Position: 257, Kind: "node" });
        Assert.Contains(report.Problems, p => p.Kind == "checkpoint");
    }
}
