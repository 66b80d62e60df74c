using System.Buffers.Text;
using System.Text;
using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Projections.Assets;
using AssetLedger.Projections.Participants;

namespace AssetLedger.Projections.Tests;

public sealed class paging_through_assets(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    static readonly Actor Warehouse = Actor.Of("wh-p", Role.Warehouse);
    static readonly Actor Center = Actor.Of("tc-p", Role.TradingCenter);
    static readonly Actor Regulator = Actor.Of("reg-p", Role.Regulator);

    static RegisterAsset Receipt(AssetId id, Actor owner) => new(id, AssetKind.WarehouseReceipt, owner.Id,
        new AssetDetails { Warehouse = Warehouse.Id, ReceiptNumber = "P-" + id, Commodity = "copper", Quantity = new Quantity("10", "t") }, owner, T0);

    static async Task Run(AssetCommandHandler h, IAssetCommand c) => await h.Handle(new ExecuteAssetCommand(c, new CommandContext()), default);

    [Fact]
    public async Task with_a_concurrent_writer_returns_every_asset_that_existed_at_the_start_exactly_once()
    {
        await using var store = new PostgresEventStore(db.DataSource);
        var handler = new AssetCommandHandler(store, ConfirmationPolicy.Default);
        var owners = Enumerable.Range(0, 5).Select(i => Actor.Of($"po-{i}", Role.Owner)).ToArray();
        var existing = Enumerable.Range(0, 300).Select(_ => AssetId.New()).ToList();
        await Task.WhenAll(existing.Select((id, i) => Run(handler, Receipt(id, owners[i % owners.Length]))));
        var runner = new ProjectionRunner(db.DataSource, store);
        await runner.CatchUp(default);

        using var stop = new CancellationTokenSource();
        await using var followerDb = db.NewDataSource();
        await using var followerStore = new PostgresEventStore(followerDb);
        var follower = new ProjectionRunner(followerDb, followerStore) { PollInterval = TimeSpan.FromMilliseconds(20) }.RunAsync(stop.Token);
        var writer = Task.Run(async () =>
        {
            var rng = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                var id = existing[rng.Next(existing.Count)];
                await Run(handler, Receipt(AssetId.New(), owners[rng.Next(owners.Length)]));
                await Run(handler, new ConfirmAsset(id, true, null, rng.Next(2) == 0 ? Warehouse : Center, T0));
                await Run(handler, new FreezeAsset(id, $"f{rng.Next(3)}", FreezeAuthority.Judicial, "order", Regulator, T0));
            }
        });

        var queries = new AssetQueries(db.DataSource);
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await queries.List(new AssetFilter(), cursor, 7, default);
            seen.AddRange(page.Items.Select(a => a.Id));
            cursor = page.NextCursor;
            pages++;
            await Task.Delay(10);
        } while (cursor is not null && pages < 1000);
        await stop.CancelAsync();
        await writer;
        await follower;

        Assert.True(pages < 1000, "paging did not end");
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(existing.Select(id => id.ToString()).Except(seen));
        Assert.True(seen.Count > existing.Count, "the writer registered nothing while the pages were read");
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("YXNzZXRz")]                       // "assets": no key
    [InlineData("YXNzZXRzOg")]                     // "assets:"
    [InlineData("YXNzZXRzOmFiYw")]                 // "assets:abc"
    [InlineData("YXNzZXRzOi0x")]                   // "assets:-1"
    [InlineData("YXNzZXRzOjA")]                    // "assets:0"
    [InlineData("YXNzZXRzOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5")] // "assets:" and 23 nines
    [InlineData("cGFydGljaXBhbnRzOjU")]            // "participants:5": another list's cursor
    [InlineData("YXNzZXRzOjU=*")]
    [InlineData("_w")]                             // a single 0xFF byte: not UTF-8
    public async Task a_malformed_cursor_is_rejected_with_a_format_exception(string cursor)
    {
        var queries = new AssetQueries(db.DataSource);

        var error = await Assert.ThrowsAsync<InvalidCursorException>(() => queries.List(new AssetFilter(), cursor, 10, default));

        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Fact]
    public async Task an_asset_cursor_is_rejected_by_the_participant_list()
    {
        var cursor = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("assets:5"));
        await Assert.ThrowsAsync<InvalidCursorException>(() => new ParticipantQueries(db.DataSource).List(null, cursor, 10, default));
    }
}
