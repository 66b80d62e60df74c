using System.Collections.Concurrent;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.EventStore;

public sealed class concurrent_appends : IClassFixture<PostgresDatabase>
{
    readonly PostgresDatabase _db;
    public concurrent_appends(PostgresDatabase db) => _db = db;

    static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    static readonly Actor Owner = Actor.Of("owner-1", Role.Owner);
    static readonly Actor Warehouse = Actor.Of("wh-1", Role.Warehouse);
    static readonly Actor Center = Actor.Of("tc-1", Role.TradingCenter);

    static RegisterAsset Receipt(AssetId id, string number) => new(id, AssetKind.WarehouseReceipt, Owner.Id,
        new AssetDetails { Warehouse = Warehouse.Id, ReceiptNumber = number, Commodity = "crude oil", Quantity = new Quantity("1000", "bbl") }, Owner, T0);

    static async Task<CommandOutcome<AssetState>> Run(AssetCommandHandler h, IAssetCommand c) => await h.Handle(new ExecuteAssetCommand(c, new CommandContext()), default);

    [Fact]
    public async Task fifty_concurrent_transfer_outs_of_one_asset_let_exactly_one_succeed()
    {
        await using var store = new PostgresEventStore(_db.DataSource);
        var handler = new AssetCommandHandler(store, ConfirmationPolicy.Default);
        var id = AssetId.New();
        Assert.True((await Run(handler, Receipt(id, "R-" + id))).Ok);
        Assert.True((await Run(handler, new ConfirmAsset(id, true, null, Warehouse, T0))).Ok);
        Assert.True((await Run(handler, new ConfirmAsset(id, true, null, Center, T0))).Ok);

        var banks = Enumerable.Range(0, 50).Select(i => new ParticipantId($"bank-{i}")).ToArray();
        var outcomes = await Task.WhenAll(banks.Select(bank => Task.Run(() =>
            Run(handler, new TransferOut(id, bank, new HashSet<Role> { Role.FinancialInstitution }, VenuePurpose.Financing, Owner, T0)))));

        Assert.Single(outcomes, o => o.Ok);
        Assert.Equal(49, outcomes.Count(o => o.Error is { Kind: ErrorKind.Conflict }));
        var events = await store.ReadStream(id.StreamId, 1, 100, default);
        Assert.Single(events, e => e.Type == "asset-transferred-out");
        Assert.Equal(4, events.Count);
    }

    [Fact]
    public async Task a_key_registered_by_two_racing_instances_is_registered_once()
    {
        await using var a = new PostgresEventStore(_db.NewDataSource());
        await using var b = new PostgresEventStore(_db.NewDataSource());
        var ha = new AssetCommandHandler(a, ConfirmationPolicy.Default);
        var hb = new AssetCommandHandler(b, ConfirmationPolicy.Default);
        for (var round = 0; round < 20; round++)
        {
            var number = $"RACE-{round}-{Guid.NewGuid():N}";
            var results = await Task.WhenAll(
                Task.Run(() => Run(ha, Receipt(AssetId.New(), number))),
                Task.Run(() => Run(hb, Receipt(AssetId.New(), number))));

            Assert.Single(results, r => r.Ok);
            Assert.Single(results, r => r.Error?.Code == "asset.key_taken");
        }
    }

    [Fact]
    public async Task a_reader_following_the_log_sees_every_event_of_eight_writers_once_in_one_gap_free_order()
    {
        const int Writers = 8, AppendsEach = 1000;
        var start = await new PostgresEventStore(_db.DataSource).HeadPosition(default);
        var stores = Enumerable.Range(0, Writers).Select(_ => new PostgresEventStore(_db.NewDataSource())).ToArray();
        using var done = new CancellationTokenSource();

        // Another process's slow transactions: they take the sequence lock, dawdle, and roll back.
        var slow = Task.Run(async () =>
        {
            await using var conn = new NpgsqlConnection(_db.ConnectionString);
            await conn.OpenAsync();
            while (!done.IsCancellationRequested)
            {
                await using var tx = await conn.BeginTransactionAsync();
                await using (var cmd = new NpgsqlCommand("SELECT last_position FROM event_sequence WHERE id = 1 FOR UPDATE", conn, tx)) await cmd.ExecuteScalarAsync();
                await Task.Delay(Random.Shared.Next(5, 40));
                await tx.RollbackAsync();
                await Task.Delay(Random.Shared.Next(5, 40));
            }
        });

        var seen = new List<StoredEvent>();
        var reader = Task.Run(async () =>
        {
            await using var follower = new PostgresEventStore(_db.NewDataSource());
            await foreach (var e in follower.Subscribe(start, done.Token).WithCancellation(done.Token))
            {
                seen.Add(e);
                if (seen.Count == Writers * AppendsEach) return;
            }
        });

        var written = new ConcurrentBag<Guid>();
        await Task.WhenAll(stores.Select((store, w) => Task.Run(async () =>
        {
            for (var i = 0; i < AppendsEach; i++)
            {
                var e = Events.Any(data: new { writer = w, i });
                var r = await store.Append(Events.Append($"w{w}-{i}-{Guid.NewGuid():N}", ExpectedVersion.NoStream, e), default);
                Assert.Equal(AppendStatus.Appended, r.Status);
                written.Add(e.EventId);
            }
        })));
        await reader.WaitAsync(TimeSpan.FromSeconds(60));
        await done.CancelAsync();
        await slow;
        foreach (var s in stores) await s.DisposeAsync();

        Assert.Equal(Writers * AppendsEach, seen.Count);
        Assert.Equal(Enumerable.Range(1, Writers * AppendsEach).Select(i => start + i), seen.Select(e => e.Position));
        Assert.Equal(written.Order(), seen.Select(e => e.EventId).Order());
    }
}
