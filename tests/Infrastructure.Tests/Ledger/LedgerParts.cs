using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Notes;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Ledger;

public sealed class TestClock(DateTimeOffset start) : IClock
{
    public DateTimeOffset UtcNow { get; set; } = start;
    public void Advance(TimeSpan by) => UtcNow += by;
}

/// <summary>The ledger's parts as one API process has them, on its own connection pool.</summary>
public sealed class LedgerParts : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public LedgerParts(NpgsqlDataSource db, LedgerKeys keys, IClock clock, LedgerOptions? options = null)
    {
        Db = db;
        Keys = keys;
        Options = options ?? new LedgerOptions { CheckpointInterval = TimeSpan.FromHours(1) };
        Store = new PostgresEventStore(db);
        Tree = new PostgresMerkleTree(db);
        Builder = new MerkleTreeBuilder(Store, Tree, Options.BuilderBatchSize);
        Cutter = new CheckpointCutter(db, Tree, keys.Ledger, clock, Options);
        Checkpoints = new CheckpointStore(db);
        LocalAnchor = new LocalAnchor(db, keys.Anchor, clock);
        Service = new LedgerService(db, Store, Tree, keys);
    }

    public NpgsqlDataSource Db { get; }
    public LedgerKeys Keys { get; }
    public LedgerOptions Options { get; }
    public PostgresEventStore Store { get; }
    public PostgresMerkleTree Tree { get; }
    public MerkleTreeBuilder Builder { get; }
    public CheckpointCutter Cutter { get; }
    public CheckpointStore Checkpoints { get; }
    public LocalAnchor LocalAnchor { get; }
    public LedgerService Service { get; }

    public static LedgerKeys NewKeys() => new(NoteSigner.Generate("test.example/ledger"), NoteSigner.Generate("test.example/anchor"));

    /// <summary>Appends <paramref name="count"/> events, a few per stream so chains are exercised.</summary>
    public async Task<List<AppendedEvent>> AppendEvents(int count, string prefix = "s")
    {
        var appended = new List<AppendedEvent>();
        var stream = $"{prefix}-{Guid.NewGuid():N}";
        long version = 0;
        for (var i = 0; i < count; i++)
        {
            if (i % 4 == 0) (stream, version) = ($"{prefix}-{Guid.NewGuid():N}", 0);
            var r = await Store.Append(Events.Append(stream, version, Events.Any(data: new { i, prefix })), default);
            Assert.Equal(AppendStatus.Appended, r.Status);
            version = r.StreamVersion;
            appended.AddRange(r.Events);
        }
        return appended;
    }

    public async ValueTask DisposeAsync() => await Store.DisposeAsync();
}
