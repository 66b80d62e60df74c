using AssetLedger.Application.Assets;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Projections.Tests.Support;

/// <summary>
/// A database holding the randomised run: 2,000 commands over 200 assets in four lanes (50 assets
/// each, seeded), decided by the real handler on the PostgreSQL store while a projector follows the log.
/// </summary>
public sealed class Ledger : IAsyncLifetime
{
    public const int Seed = 20261125, Lanes = 4, AssetsPerLane = 50, CommandsPerLane = 500;
    public PostgresDatabase Db { get; } = new();
    public PostgresEventStore Store { get; private set; } = null!;
    public int Succeeded { get; private set; }
    public int Refused { get; private set; }
    public IReadOnlyList<AssetId> Assets { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Store = new PostgresEventStore(Db.DataSource);
        await Cast.RegisterAll(Store, [.. Cast.Everyone, Cast.Operator]);

        // A projector follows the log from another pool while the commands run, as an API instance would.
        await using var followerDb = Db.NewDataSource();
        await using var followerStore = new PostgresEventStore(followerDb);
        using var stop = new CancellationTokenSource();
        var follower = new ProjectionRunner(followerDb, followerStore) { BatchSize = 97 }.RunAsync(stop.Token);

        var handler = new AssetCommandHandler(Store, ConfirmationPolicy.Default);
        var lanes = Enumerable.Range(0, Lanes).Select(lane =>
        {
            var rng = new Random(Seed + lane);
            var ids = Enumerable.Range(0, AssetsPerLane).Select(_ =>
            {
                var bytes = new byte[16];
                rng.NextBytes(bytes);
                return new AssetId(new Guid(bytes));
            }).ToList();
            return (Ids: ids, Commands: new RandomCommands(handler, Seed * 31 + lane, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero).AddDays(lane)));
        }).ToList();
        await Task.WhenAll(lanes.Select(l => Task.Run(() => l.Commands.Run(l.Ids, CommandsPerLane))));
        Assets = lanes.SelectMany(l => l.Ids).ToList();
        Succeeded = lanes.Sum(l => l.Commands.Succeeded);
        Refused = lanes.Sum(l => l.Commands.Refused);

        await stop.CancelAsync();
        await follower;
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await Db.DisposeAsync();
    }
}
