using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Infrastructure.Tests.Ledger;

public sealed class checkpoints_and_anchors : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task a_checkpoint_is_cut_after_1000_new_leaves_without_waiting_for_the_interval()
    {
        var clock = new TestClock(LedgerParts.T0);
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), clock, new LedgerOptions { CheckpointEveryLeaves = 1000, CheckpointInterval = TimeSpan.FromHours(1) });
        await l.AppendEvents(10);
        await l.Builder.CatchUp(default);
        Assert.Equal(10, (await l.Cutter.TryCut(default))?.TreeSize);

        await l.AppendEvents(999);
        await l.Builder.CatchUp(default);
        Assert.Null(await l.Cutter.TryCut(default));

        await l.AppendEvents(1);
        await l.Builder.CatchUp(default);
        var cut = await l.Cutter.TryCut(default);

        Assert.Equal(1010, cut?.TreeSize);
        Assert.Equal(await l.Tree.Root(1010, default), cut!.RootHash);
    }

    [Fact]
    public async Task a_checkpoint_is_cut_after_the_interval_only_when_the_tree_grew()
    {
        var clock = new TestClock(LedgerParts.T0);
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), clock, new LedgerOptions { CheckpointEveryLeaves = 1000, CheckpointInterval = TimeSpan.FromMilliseconds(500) });
        await l.AppendEvents(3);
        await l.Builder.CatchUp(default);
        Assert.NotNull(await l.Cutter.TryCut(default));

        await l.AppendEvents(5);
        await l.Builder.CatchUp(default);
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Null(await l.Cutter.TryCut(default));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var cut = await l.Cutter.TryCut(default);
        Assert.Equal(8, cut?.TreeSize);
        Assert.Equal(clock.UtcNow, cut!.Timestamp);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(await l.Cutter.TryCut(default));
    }

    [Fact]
    public async Task checkpoints_verify_with_the_published_key_chain_to_the_previous_and_are_consistent()
    {
        var clock = new TestClock(LedgerParts.T0);
        var keys = LedgerParts.NewKeys();
        await using var a = new LedgerParts(_db.NewDataSource(), keys, clock, new LedgerOptions { CheckpointEveryLeaves = 7, CheckpointInterval = TimeSpan.FromHours(1) });
        await using var b = new LedgerParts(_db.NewDataSource(), keys, clock, new LedgerOptions { CheckpointEveryLeaves = 7, CheckpointInterval = TimeSpan.FromHours(1) });
        for (var round = 0; round < 6; round++)
        {
            await a.AppendEvents(9 + round);
            await a.Builder.CatchUp(default);
            // Two processes race to cut: one cuts, the other finds nothing to do.
            var cuts = await Task.WhenAll(Task.Run(() => a.Cutter.TryCut(default)), Task.Run(() => b.Cutter.TryCut(default)));
            Assert.Single(cuts, c => c is not null);
        }

        var verifier = NoteVerifier.Parse(a.Service.PublicKeys().LedgerVerifierKey);
        var all = await a.Checkpoints.Range(0, 100, default);
        Assert.Equal(6, all.Count);
        for (var i = 0; i < all.Count; i++)
        {
            var opened = SignedNote.Open(all[i].Note, verifier);
            Assert.True(opened.IsValid, opened.Message);
            var body = CheckpointBody.Parse(opened.Text!);
            Assert.Equal(("test.example/ledger", all[i].TreeSize), (body.Origin, body.TreeSize));
            Assert.Equal(all[i].RootHash, body.RootHash);
            Assert.Equal(i == 0 ? null : all[i - 1].NoteHash, body.PreviousHash);
            if (i == 0) continue;
            var proof = await a.Service.ConsistencyProof(all[i - 1].TreeSize, all[i].TreeSize, default);
            Assert.True(MerkleVerifier.VerifyConsistency(all[i - 1].TreeSize, all[i].TreeSize, all[i - 1].RootHash, all[i].RootHash, proof.Value!.Path).IsValid);
        }
    }

    [Fact]
    public async Task an_inclusion_proof_for_an_event_verifies_against_the_latest_checkpoint()
    {
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new TestClock(LedgerParts.T0));
        var events = await l.AppendEvents(37);
        await l.Builder.CatchUp(default);
        var notYet = await l.Service.InclusionProofForEvent(events[5].EventId, null, default);
        Assert.Equal(LedgerService.NoCheckpoint, notYet.ErrorCode);
        await l.Cutter.TryCut(default);
        await l.AppendEvents(3);
        await l.Builder.CatchUp(default);

        foreach (var e in events)
        {
            var proof = (await l.Service.InclusionProofForEvent(e.EventId, null, default)).Value!;
            Assert.Equal((e.Position, 37L), (proof.Position, proof.TreeSize));
            Assert.NotNull(proof.Checkpoint);
            Assert.True(MerkleVerifier.VerifyInclusion(proof.LeafIndex, proof.TreeSize, MerkleHash.Leaf(Convert.FromHexString(e.Hash)), proof.Path, proof.Checkpoint!.RootHash).IsValid);
        }
        Assert.Equal(LedgerService.NotYetInTree, (await l.Service.InclusionProofForPosition(39, null, default)).ErrorCode);
        Assert.Equal(LedgerService.EventNotFound, (await l.Service.InclusionProofForEvent(Guid.NewGuid(), null, default)).ErrorCode);
        Assert.True((await l.Service.InclusionProofForPosition(39, 40, default)).Ok);
    }

    [Fact]
    public async Task the_local_anchor_log_is_hash_chained_in_checkpoint_order_and_resumes_after_a_restart()
    {
        var clock = new TestClock(LedgerParts.T0);
        var keys = LedgerParts.NewKeys();
        var options = new LedgerOptions { CheckpointEveryLeaves = 1 };
        await using (var first = new LedgerParts(_db.NewDataSource(), keys, clock, options))
        {
            for (var i = 0; i < 3; i++) { await first.AppendEvents(2); await first.Builder.CatchUp(default); await first.Cutter.TryCut(default); }
            var worker = new AnchorWorker(first.Db, [first.LocalAnchor], options);
            Assert.Equal(3, await worker.AnchorPending(default));
            for (var i = 0; i < 2; i++) { await first.AppendEvents(2); await first.Builder.CatchUp(default); await first.Cutter.TryCut(default); }
        }

        // A new process: new pool, new instances; it carries on from the stored cursor.
        await using var second = new LedgerParts(_db.NewDataSource(), keys, clock, options);
        var restarted = new AnchorWorker(second.Db, [second.LocalAnchor], options);
        Assert.Equal(2, await restarted.AnchorPending(default));
        Assert.Equal(0, await restarted.AnchorPending(default));

        var log = await second.LocalAnchor.ReadLog(0, 100, default);
        Assert.Equal([1L, 2, 3, 4, 5], log.Select(e => e.Seq));
        Assert.Equal([2L, 4, 6, 8, 10], log.Select(e => e.TreeSize));
        Assert.Null(log[0].PreviousEntryHash);
        for (var i = 1; i < log.Count; i++) Assert.Equal(log[i - 1].EntryHash, log[i].PreviousEntryHash);
        var verified = await second.LocalAnchor.VerifyLog(NoteVerifier.Parse(second.Service.PublicKeys().AnchorVerifierKey), default);
        Assert.True(verified.Ok, verified.Message);
        Assert.True((await second.Service.VerifyLocalAnchorLog(default)).Ok);

        var receipts = await second.Service.Anchors(null, 0, 100, default);
        Assert.Equal([2L, 4, 6, 8, 10], receipts.Select(r => r.TreeSize));
        Assert.All(receipts, r => Assert.Equal("local", r.Anchor));
        Assert.Equal("local:5", receipts[^1].TransactionReference);
        Assert.Equal(10, (await second.Service.AnchorStatuses(default)).Single().LastAnchoredSize);
    }

    [Fact]
    public async Task a_changed_anchor_entry_breaks_the_log_at_that_entry()
    {
        var keys = LedgerParts.NewKeys();
        var options = new LedgerOptions { CheckpointEveryLeaves = 1 };
        await using var l = new LedgerParts(_db.DataSource, keys, new TestClock(LedgerParts.T0), options);
        for (var i = 0; i < 4; i++) { await l.AppendEvents(1); await l.Builder.CatchUp(default); await l.Cutter.TryCut(default); }
        await new AnchorWorker(l.Db, [l.LocalAnchor], options).AnchorPending(default);

        await _db.Scalar<int>("ALTER TABLE local_anchor_log DISABLE TRIGGER USER; UPDATE local_anchor_log SET note = replace(note, 'entry 3', 'entry 3 ') WHERE seq = 3; SELECT 1");

        var verified = await l.LocalAnchor.VerifyLog(keys.Anchor.Verifier, default);
        Assert.False(verified.Ok);
        Assert.Equal(3, verified.FirstBadSeq);
    }

    [Fact]
    public async Task a_failing_anchor_is_retried_with_backoff_and_blocks_no_other_anchor()
    {
        var options = new LedgerOptions { CheckpointEveryLeaves = 1, AnchorRetryAttempts = 3, AnchorRetryDelay = TimeSpan.FromMilliseconds(5) };
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new TestClock(LedgerParts.T0), options);
        for (var i = 0; i < 2; i++) { await l.AppendEvents(1); await l.Builder.CatchUp(default); await l.Cutter.TryCut(default); }
        var flaky = new FlakyAnchor("flaky", failuresFirst: 2);
        var down = new FlakyAnchor("down", failuresFirst: int.MaxValue);

        var anchored = await new AnchorWorker(l.Db, [down, flaky, l.LocalAnchor], options).AnchorPending(default);

        Assert.Equal(4, anchored);
        Assert.Equal([1L, 2], flaky.Anchored);
        Assert.Equal(4, down.Calls); // 1 try + 3 retries, then the cursor waits
        var status = (await l.Service.AnchorStatuses(default)).ToDictionary(s => s.Anchor);
        Assert.Equal((0L, 1), (status["down"].LastAnchoredSize, status["down"].Failures));
        Assert.Contains("anchor down", status["down"].LastError);
        Assert.Equal(TimeSpan.FromSeconds(1), status["down"].NextAttemptAt - status["down"].UpdatedAt); // first failed run: wait 1 s, doubling
        Assert.Equal(2, status["flaky"].LastAnchoredSize);
        Assert.Equal(2, status["local"].LastAnchoredSize);
    }

    sealed class FlakyAnchor(string name, int failuresFirst) : IAnchor
    {
        public string Name => name;
        public int Calls;
        public List<long> Anchored { get; } = [];

        public Task<AnchorReceipt> Submit(CheckpointToAnchor checkpoint, CancellationToken ct)
        {
            if (Interlocked.Increment(ref Calls) <= failuresFirst) throw new IOException("anchor down");
            Anchored.Add(checkpoint.TreeSize);
            return Task.FromResult(new AnchorReceipt(name, checkpoint.TreeSize, $"tx-{checkpoint.TreeSize}", DateTimeOffset.UtcNow, "{}"));
        }
    }
}
