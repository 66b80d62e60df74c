using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Support;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Ledger;

/// <summary>
/// Issue 21: under load the ledger's worker asks for a cut after every append, and each anchor's loop asks for work every
/// 50 ms. An ask that finds nothing due answers from an unlocked look: it neither locks the checkpoint head or the anchor's
/// cursor nor rolls a transaction back. Shown with the lock held elsewhere and a lock wait that fails at once.
/// </summary>
public sealed class idle_ledger_rounds_take_no_lock : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    /// <summary>A pool whose sessions give up a lock wait after 50 ms with an error.</summary>
    NpgsqlDataSource Impatient() => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Options = "-c lock_timeout=50" }.ConnectionString);

    [Fact]
    public async Task a_cut_that_is_not_due_yet_answers_without_waiting_for_the_head_lock()
    {
        var clock = new TestClock(LedgerParts.T0);
        await using var pool = Impatient();
        await using var l = new LedgerParts(pool, LedgerParts.NewKeys(), clock, new LedgerOptions { CheckpointEveryLeaves = 1000, CheckpointInterval = TimeSpan.FromMilliseconds(500) });
        await l.AppendEvents(3);
        await l.Builder.CatchUp(default);
        Assert.NotNull(await l.Cutter.TryCut(default));
        await l.AppendEvents(5);
        await l.Builder.CatchUp(default);
        clock.Advance(TimeSpan.FromMilliseconds(100));

        await using var holder = await _db.DataSource.OpenConnectionAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var lockHead = new NpgsqlCommand("SELECT tree_size FROM checkpoint_head WHERE id = 1 FOR UPDATE", holder, tx)) await lockHead.ExecuteScalarAsync();

        Assert.Null(await l.Cutter.TryCut(default));
        await tx.RollbackAsync();
        clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(8, (await l.Cutter.TryCut(default))?.TreeSize);
    }

    [Fact]
    public async Task an_anchor_with_nothing_new_answers_without_waiting_for_its_cursor_lock()
    {
        var clock = new TestClock(LedgerParts.T0);
        await using var pool = Impatient();
        await using var l = new LedgerParts(pool, LedgerParts.NewKeys(), clock);
        var anchors = new AnchorWorker(pool, [l.LocalAnchor], l.Options);
        await l.AppendEvents(3);
        await l.Builder.CatchUp(default);
        await l.Cutter.CutNow(default);
        Assert.True(await anchors.AnchorNext(l.LocalAnchor, default));

        await using var holder = await _db.DataSource.OpenConnectionAsync();
        await using var tx = await holder.BeginTransactionAsync();
        // Writes to the cursors wait behind this, reads do not: the locked path's first statement (the insert that makes sure
        // the cursor exists) would wait and fail.
        await using (var lockCursors = new NpgsqlCommand("LOCK TABLE anchor_cursors IN SHARE MODE", holder, tx)) await lockCursors.ExecuteNonQueryAsync();
        Assert.False(await anchors.AnchorNext(l.LocalAnchor, default));
        await tx.RollbackAsync();

        await l.AppendEvents(2);
        await l.Builder.CatchUp(default);
        await l.Cutter.CutNow(default);
        Assert.True(await anchors.AnchorNext(l.LocalAnchor, default));
        Assert.Equal(5, await _db.Scalar<long>("SELECT last_size FROM anchor_cursors WHERE anchor = 'local'"));
    }
}
