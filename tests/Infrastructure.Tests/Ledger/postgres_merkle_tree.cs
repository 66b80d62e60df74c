using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Tests.Merkle;

namespace AssetLedger.Infrastructure.Tests.Ledger;

public sealed class postgres_merkle_tree : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task a_tree_stored_in_tiles_gives_the_same_roots_and_proofs_as_memory_across_tile_boundaries()
    {
        const int Leaves = 70_000; // past 65,536: three tile levels
        var data = Enumerable.Range(0, Leaves).Select(ReferenceTree.EventHash).ToArray();
        var tree = new PostgresMerkleTree(_db.DataSource);
        var memory = new MemoryMerkleTree();
        foreach (var d in data) memory.Append(d);
        var random = new Random(7);
        var batches = new[] { 1, 1, 7, 247, 256, 255, 257, 1000, 65536 - 2024 };
        var size = 0;
        foreach (var b in batches.Concat(Enumerable.Repeat(0, 100)))
        {
            var take = Math.Min(b == 0 ? random.Next(1, 3000) : b, Leaves - size);
            if (take == 0) break;
            var (from, to) = await new PostgresMerkleTree(_db.DataSource).Append((s, _) => Task.FromResult<IReadOnlyList<byte[]>>(data[(int)s..((int)s + take)]), default);
            Assert.Equal((size, size + take), ((int)from, (int)to));
            size += take;
            Assert.Equal(memory.Root(size), await tree.Root(size, default));
        }
        Assert.Equal(Leaves, await tree.Size(default));

        foreach (var n in new long[] { 1, 2, 255, 256, 257, 511, 512, 65535, 65536, 65537, 69999, 70000 })
        {
            Assert.Equal(memory.Root(n), await tree.Root(n, default));
            foreach (var m in new[] { 0, n / 3, n - 1 })
                Assert.Equal(memory.Inclusion(m, n), await tree.InclusionProof(m, n, default));
        }
        for (var i = 0; i < 200; i++)
        {
            var n = random.NextInt64(1, Leaves + 1);
            var m = random.NextInt64(0, n);
            var first = random.NextInt64(1, n + 1);
            Assert.Equal(memory.Inclusion(m, n), await tree.InclusionProof(m, n, default));
            Assert.Equal(memory.Consistency(first, n), await tree.ConsistencyProof(first, n, default));
        }
        var leaves = await tree.LeafHashes(65_530, 20, default);
        Assert.Equal(Enumerable.Range(65_530, 20).Select(i => MerkleHash.Leaf(data[i])), leaves);
    }

    [Fact]
    public async Task a_proof_asked_again_is_answered_from_the_subtrees_kept_without_reading_or_rehashing_a_tile()
    {
        const int Leaves = 3_000;
        var data = Enumerable.Range(0, Leaves).Select(ReferenceTree.EventHash).ToArray();
        await new PostgresMerkleTree(_db.DataSource).Append((_, _) => Task.FromResult<IReadOnlyList<byte[]>>(data), default);
        var memory = new MemoryMerkleTree();
        foreach (var d in data) memory.Append(d);
        var tree = new PostgresMerkleTree(_db.DataSource);
        var asked = new (long Leaf, long Size)[] { (5, 2_999), (1_000, 3_000), (2_500, 2_600) };
        foreach (var (leaf, size) in asked) Assert.Equal(memory.Inclusion(leaf, size), await tree.InclusionProof(leaf, size, default));
        Assert.Equal(memory.Consistency(700, 3_000), await tree.ConsistencyProof(700, 3_000, default));

        // Complete subtrees never change: with every tile gone, the same proofs still come from what the first ones kept.
        Assert.True(await _db.Scalar<long>("WITH gone AS (DELETE FROM merkle_tiles RETURNING 1) SELECT count(*) FROM gone") > 0);
        foreach (var (leaf, size) in asked) Assert.Equal(memory.Inclusion(leaf, size), await tree.InclusionProof(leaf, size, default));
        Assert.Equal(memory.Consistency(700, 3_000), await tree.ConsistencyProof(700, 3_000, default));
        // A tree that keeps nothing (the integrity check's) reads what is stored now, and finds nothing.
        await Assert.ThrowsAsync<InvalidOperationException>(() => new PostgresMerkleTree(_db.DataSource, cacheTiles: false).InclusionProof(5, 2_999, default));
    }

    [Fact]
    public async Task two_builders_following_two_event_stores_append_every_event_once_in_position_order()
    {
        var keys = LedgerParts.NewKeys();
        await using var a = new LedgerParts(_db.NewDataSource(), keys, new TestClock(LedgerParts.T0), new LedgerOptions { BuilderBatchSize = 97 });
        await using var b = new LedgerParts(_db.NewDataSource(), keys, new TestClock(LedgerParts.T0), new LedgerOptions { BuilderBatchSize = 131 });
        using var writing = new CancellationTokenSource();

        var writers = Task.WhenAll(Task.Run(() => a.AppendEvents(800, "a")), Task.Run(() => b.AppendEvents(800, "b")));
        async Task Follow(MerkleTreeBuilder builder)
        {
            while (true)
            {
                if (await builder.AppendNext(default) > 0) continue;
                if (writers.IsCompleted) return;
                await Task.Delay(5);
            }
        }
        await Task.WhenAll(Task.Run(() => Follow(a.Builder)), Task.Run(() => Follow(b.Builder)), writers);
        await a.Builder.CatchUp(default);

        var head = await a.Store.HeadPosition(default);
        Assert.Equal(1600, head);
        Assert.Equal(head, await a.Tree.Size(default));
        var events = await a.Store.ReadAll(0, 2000, default);
        var memory = new MemoryMerkleTree();
        foreach (var e in events) memory.Append(Convert.FromHexString(e.Hash));
        Assert.Equal(events.Select(e => MerkleHash.Leaf(Convert.FromHexString(e.Hash))), await a.Tree.LeafHashes(0, 1600, default));
        Assert.Equal(memory.Root(1600), await b.Tree.Root(1600, default));
    }
}
