using AssetLedger.Application.Assets;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Projections.Assets;
using AssetLedger.Projections.Tests.Support;
using Xunit.Abstractions;

namespace AssetLedger.Projections.Tests;

/// <summary>The issue's test: after 2,000 random commands over 200 assets, the read models are what a replay gives.</summary>
public sealed class a_randomised_run_of_commands(Support.Ledger ledger, ITestOutputHelper output) : IClassFixture<Support.Ledger>
{
    [Fact]
    public async Task leaves_every_read_model_equal_to_a_fresh_replay_of_the_events()
    {
        var runner = new ProjectionRunner(ledger.Db.DataSource, ledger.Store);
        await runner.CatchUp(default);

        Assert.Equal(Support.Ledger.Lanes * Support.Ledger.CommandsPerLane, ledger.Succeeded + ledger.Refused);
        Assert.InRange(ledger.Refused, 200, 1800);
        var expected = await Replay.Expected(ledger.Store);
        Tables.Equal(expected, await Tables.Snapshot(ledger.Db.DataSource));
        output.WriteLine($"{ledger.Succeeded} commands succeeded, {ledger.Refused} refused; rows: {string.Join(", ", expected.Select(t => $"{t.Key} {t.Value.Count}"))}");
        var status = await runner.Status(default);
        Assert.Equal((status.Head, 0L), (status.Checkpoint, status.Lag));
        Assert.All(status.Projections, p => Assert.Equal(status.Head, p.Position));
    }

    [Fact]
    public async Task two_runners_on_separate_pools_catching_up_at_once_build_the_same_tables_as_one()
    {
        var one = new ProjectionRunner(ledger.Db.DataSource, ledger.Store);
        await one.CatchUp(default);
        var expected = await Tables.Snapshot(ledger.Db.DataSource);
        await one.Reset(default);

        await using var dbA = ledger.Db.NewDataSource();
        await using var dbB = ledger.Db.NewDataSource();
        await using var storeA = new PostgresEventStore(dbA);
        await using var storeB = new PostgresEventStore(dbB);
        var a = new ProjectionRunner(dbA, storeA) { BatchSize = 50 };
        var b = new ProjectionRunner(dbB, storeB) { BatchSize = 73 };
        var applied = await Task.WhenAll(Task.Run(() => a.CatchUp(default)), Task.Run(() => b.CatchUp(default)));

        var head = await ledger.Store.HeadPosition(default);
        Assert.Equal(head, applied.Sum());
        Tables.Equal(expected, await Tables.Snapshot(ledger.Db.DataSource));
        Assert.Equal(head, (await a.Status(default)).Checkpoint);
    }

    [Fact]
    public async Task a_rebuild_gives_identical_tables()
    {
        var runner = new ProjectionRunner(ledger.Db.DataSource, ledger.Store) { BatchSize = 500 };
        await runner.CatchUp(default);
        var before = await Tables.Snapshot(ledger.Db.DataSource);

        var applied = await runner.Rebuild(default);

        Assert.Equal(await ledger.Store.HeadPosition(default), applied);
        Tables.Equal(before, await Tables.Snapshot(ledger.Db.DataSource));
    }

    [Fact]
    public async Task every_filter_lists_exactly_the_assets_whose_replayed_state_matches_in_registration_order()
    {
        await new ProjectionRunner(ledger.Db.DataSource, ledger.Store).CatchUp(default);
        var queries = new AssetQueries(ledger.Db.DataSource);
        var states = new List<AssetState>();
        foreach (var id in ledger.Assets)
            if (await AssetStreams.Load(ledger.Store, id, default) is { Exists: true } s) states.Add(s);

        var cases = new List<(AssetFilter Filter, Func<AssetState, bool> Matches)> { (new AssetFilter(), _ => true) };
        cases.AddRange(Enum.GetValues<AssetKind>().Select(k => (new AssetFilter { Kind = k }, (Func<AssetState, bool>)(s => s.Kind == k))));
        cases.AddRange(Enum.GetValues<AssetStatus>().Select(x => (new AssetFilter { Status = x }, (Func<AssetState, bool>)(s => s.Status == x))));
        cases.AddRange(Cast.Owners.Select(o => (new AssetFilter { OwnerId = o.Id.Value }, (Func<AssetState, bool>)(s => s.Owner == o.Id))));
        cases.AddRange(Cast.Warehouses.Select(w => (new AssetFilter { WarehouseId = w.Id.Value }, (Func<AssetState, bool>)(s => s.Details.Warehouse == w.Id))));
        cases.AddRange(Cast.Debtors.Select(d => (new AssetFilter { DebtorId = d.Id.Value }, (Func<AssetState, bool>)(s => s.Details.Debtor == d.Id))));
        cases.AddRange(Cast.Banks.Select(v => (new AssetFilter { VenueId = v.Id.Value }, (Func<AssetState, bool>)(s => s.Custody?.Venue == v.Id))));
        cases.Add((new AssetFilter { Commodity = "copper" }, s => s.Details.Commodity == "copper"));
        cases.Add((new AssetFilter { Locked = AssetLock.Any }, s => s.IsLocked));
        cases.Add((new AssetFilter { Locked = AssetLock.Frozen }, s => s.IsFrozen));
        cases.Add((new AssetFilter { Locked = AssetLock.Out }, s => s.IsOut));
        cases.Add((new AssetFilter { Locked = AssetLock.Offered }, s => s.PendingOffer is not null));
        cases.Add((new AssetFilter { Locked = AssetLock.None }, s => !s.IsLocked));
        cases.Add((new AssetFilter { Kind = AssetKind.WarehouseReceipt, Status = AssetStatus.Active, Locked = AssetLock.None }, s => s.Kind == AssetKind.WarehouseReceipt && s.Status == AssetStatus.Active && !s.IsLocked));
        // The console's "to confirm" candidates: pending, with a slot of the current round still open that admits the caller.
        cases.AddRange(Callers().Select(c => (new AssetFilter { SlotOpenTo = c },
            (Func<AssetState, bool>)(s => s.Status == AssetStatus.Pending && s.RequiredConfirmers.Any(r => !s.Confirmations.ContainsKey(r.Slot) && r.Admits(c))))));

        foreach (var (filter, matches) in cases)
        {
            var listed = new List<AssetView>();
            string? cursor = null;
            do
            {
                var page = await queries.List(filter, cursor, 13, default);
                Assert.InRange(page.Items.Count, page.NextCursor is null ? 0 : 1, 13);
                listed.AddRange(page.Items);
                cursor = page.NextCursor;
            } while (cursor is not null);

            Assert.Equal(states.Where(matches).Select(s => s.Id.Value.ToString("N")).Order(), listed.Select(v => v.Id).Order());
            Assert.Equal(listed.Select(v => v.RegisteredPosition).Order(), listed.Select(v => v.RegisteredPosition));
        }
        Assert.Contains(states, s => s.IsFrozen);
        Assert.Contains(states, s => s.IsOut);
        Assert.Contains(states, s => s.Status == AssetStatus.Pending && s.Confirmations.Count > 0);
    }

    /// <summary>
    /// The dashboard judges only the candidates <see cref="AssetFilter.SlotOpenTo"/> lists, so that list must hold every
    /// asset the decider would take the caller's confirmation for: none may be missed, whoever asks.
    /// </summary>
    [Fact]
    public async Task every_asset_the_decider_would_take_a_confirmation_for_is_a_candidate_of_that_caller()
    {
        await new ProjectionRunner(ledger.Db.DataSource, ledger.Store).CatchUp(default);
        var queries = new AssetQueries(ledger.Db.DataSource);
        var states = new List<AssetState>();
        foreach (var id in ledger.Assets)
            if (await AssetStreams.Load(ledger.Store, id, default) is { Exists: true } s) states.Add(s);
        var checkedSome = 0;
        foreach (var caller in Callers())
        {
            var candidates = new HashSet<string>();
            string? cursor = null;
            do
            {
                var page = await queries.List(new AssetFilter { SlotOpenTo = caller }, cursor, AssetQueries.MaxLimit, default);
                candidates.UnionWith(page.Items.Select(v => v.Id));
                cursor = page.NextCursor;
            } while (cursor is not null);
            foreach (var s in states)
            {
                // Judged just after its last event, so a pending one has not expired yet.
                if (!AssetActions.Allowed(caller, s, s.PendingSince ?? DateTimeOffset.UnixEpoch).Contains(AssetAction.Confirm)) continue;
                Assert.Contains(s.Id.Value.ToString("N"), candidates);
                checkedSome++;
            }
        }
        Assert.True(checkedSome > 10, $"only {checkedSome} confirmable (caller, asset) pairs in the run");
    }

    /// <summary>Migration 0010 empties the asset read models and sets only their checkpoint to 0: the runner rebuilds them alone.</summary>
    [Fact]
    public async Task the_asset_visibility_migrations_reset_rebuilds_the_asset_read_models_and_leaves_participants_alone()
    {
        var runner = new ProjectionRunner(ledger.Db.DataSource, ledger.Store);
        await runner.CatchUp(default);
        var before = await Tables.Snapshot(ledger.Db.DataSource);
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir)!;
        var migration = File.ReadAllLines(Directory.GetFiles(Path.Combine(dir, "src"), "*_asset_visibility.sql", SearchOption.AllDirectories).Single());
        var reset = string.Concat(string.Join("\n", migration.Where(l => !l.TrimStart().StartsWith("--"))).Split(';').Select(s => s.Trim()).Where(s => s.StartsWith("TRUNCATE") || s.StartsWith("UPDATE")).Select(s => s + ";"));

        await using (var cmd = ledger.Db.DataSource.CreateCommand(reset)) await cmd.ExecuteNonQueryAsync();
        await using (var count = ledger.Db.DataSource.CreateCommand("SELECT count(*) FROM assets")) Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        var status = await runner.Status(default);
        Assert.Equal(0, status.Projections.Single(p => p.Name == "assets").Position);
        Assert.Equal(status.Head, status.Projections.Single(p => p.Name == "participants").Position);

        await runner.CatchUp(default);
        Tables.Equal(before, await Tables.Snapshot(ledger.Db.DataSource));
    }

    /// <summary>The cast as they are, the operator, a stranger, and cast ids with seeded random sets of roles.</summary>
    static IEnumerable<Actor> Callers()
    {
        var rng = new Random(Support.Ledger.Seed);
        var roles = Enum.GetValues<Role>().Where(r => r != Role.System).ToArray();
        var ids = Cast.Everyone.Select(a => a.Id.Value).Append("stranger").ToArray();
        var random = Enumerable.Range(0, 40).Select(_ => new Actor(new ParticipantId(ids[rng.Next(ids.Length)]),
            roles.Where(_ => rng.NextDouble() < 0.25).ToHashSet())).ToList();
        return [.. Cast.Everyone, Cast.Operator, Actor.Of("stranger"), Actor.Of("stranger", Role.TradingCenter), .. random];
    }

    /// <summary>Visibility is decided once: reading an asset (AssetAccess on its stream, as GET /assets/{id} does) and finding it in the list agree.</summary>
    [Fact]
    public async Task every_caller_lists_exactly_the_assets_asset_access_lets_it_read()
    {
        await new ProjectionRunner(ledger.Db.DataSource, ledger.Store).CatchUp(default);
        var queries = new AssetQueries(ledger.Db.DataSource);
        var states = new List<AssetState>();
        foreach (var id in ledger.Assets)
            if (await AssetStreams.Load(ledger.Store, id, default) is { Exists: true } s) states.Add(s);

        var failures = new List<string>();
        foreach (var caller in Callers())
        {
            var listed = new HashSet<string>();
            string? cursor = null;
            do
            {
                var page = await queries.List(new AssetFilter { VisibleTo = caller }, cursor, AssetQueries.MaxLimit, default);
                listed.UnionWith(page.Items.Select(v => v.Id));
                cursor = page.NextCursor;
            } while (cursor is not null);

            foreach (var s in states)
                if (AssetAccess.CanRead(caller, s) != listed.Contains(s.Id.ToString()))
                    failures.Add($"{caller.Id} [{string.Join(",", caller.Roles)}] {(listed.Contains(s.Id.ToString()) ? "lists but may not read" : "may read but does not list")} {s.Id} ({s.Status})");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} disagreements:\n" + string.Join("\n", failures.Take(20)));
        // The run reaches the cases where the rule is more than "is it mine": open confirmer slots, current-round confirmers.
        Assert.Contains(states, s => !AssetAccess.Audience(s).Roles.IsEmpty);
        Assert.Contains(states, s => s.Status == AssetStatus.Pending && !s.Confirmations.IsEmpty);
        Assert.Contains(states, s => s.Status != AssetStatus.Pending && !s.Confirmations.IsEmpty);
    }
}
