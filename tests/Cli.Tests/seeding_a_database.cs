using System.CommandLine;
using AssetLedger.Cli.Commands;
using AssetLedger.Cli.Seeding;
using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Cli.Tests;

/// <summary><c>assetledger seed</c> on a real PostgreSQL: every planned event appended through the Application layer, and a rerun resumes.</summary>
public sealed class seeding_a_database : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    Task<int> Seed(int assets) =>
        new RootCommand { SeedCommand.Create() }.Parse(["seed", "--assets", $"{assets}", "--seed", "11", "--concurrency", "8", "--connection", _db.ConnectionString]).InvokeAsync();

    [Fact]
    public async Task seeding_appends_every_planned_event_and_a_second_run_resumes_without_duplicates()
    {
        const int assets = 60;
        var cast = new SeedCast(11, assets);
        // One event per command on the asset's own stream, and a split's parts' first events on theirs.
        var planned = Enumerable.Range(0, assets).Sum(i => Lifecycles.For(cast, 11, i, assets).Sum(c => c is AssetLedger.Domain.Assets.SplitAsset s ? 1 + s.Parts.Count : 1));
        var registrations = Enumerable.Range(0, assets).Sum(i => SeedRegistrations.For(cast, 11, i, assets).Count);
        Assert.True(registrations > assets / 4, $"{registrations} registration commands planned for {assets} assets");

        Assert.Equal(0, await Seed(assets));
        Assert.Equal(planned, await _db.Scalar<long>("SELECT count(*) FROM events WHERE stream_id LIKE 'asset-%'"));
        Assert.Equal(cast.All.Count + 1, await _db.Scalar<long>("SELECT count(DISTINCT stream_id) FROM events WHERE stream_id LIKE 'participant-%'"));
        Assert.Equal("seed", await _db.Scalar<string>("SELECT metadata->>'user' FROM events WHERE stream_id LIKE 'asset-%' LIMIT 1"));
        Assert.Equal(registrations, await _db.Scalar<long>("SELECT count(*) FROM events WHERE stream_id LIKE 'registration-%'"));

        Assert.Equal(0, await Seed(assets));
        Assert.Equal(planned, await _db.Scalar<long>("SELECT count(*) FROM events WHERE stream_id LIKE 'asset-%'"));
        Assert.Equal(registrations, await _db.Scalar<long>("SELECT count(*) FROM events WHERE stream_id LIKE 'registration-%'"));
    }
}
