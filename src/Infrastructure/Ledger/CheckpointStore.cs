using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Notes;
using Npgsql;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>Reads stored checkpoints.</summary>
public sealed class CheckpointStore(NpgsqlDataSource db)
{
    const string Columns = "tree_size, root_hash, created_at, previous_hash, note, note_hash";

    public Task<SignedCheckpoint?> Latest(CancellationToken ct) => One($"SELECT {Columns} FROM checkpoints ORDER BY tree_size DESC LIMIT 1", null, ct);

    public Task<SignedCheckpoint?> BySize(long treeSize, CancellationToken ct) => One($"SELECT {Columns} FROM checkpoints WHERE tree_size = $1", treeSize, ct);

    /// <summary>The first checkpoint whose size is at least <paramref name="treeSize"/>: the earliest that covers a leaf.</summary>
    public Task<SignedCheckpoint?> FirstCovering(long treeSize, CancellationToken ct) =>
        One($"SELECT {Columns} FROM checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1", treeSize, ct);

    /// <summary>The last checkpoint smaller than <paramref name="treeSize"/>.</summary>
    public Task<SignedCheckpoint?> Before(long treeSize, CancellationToken ct) =>
        One($"SELECT {Columns} FROM checkpoints WHERE tree_size < $1 ORDER BY tree_size DESC LIMIT 1", treeSize, ct);

    /// <summary>The first checkpoint after <paramref name="treeSize"/>, in order (for anchoring).</summary>
    public Task<SignedCheckpoint?> After(long treeSize, CancellationToken ct) =>
        One($"SELECT {Columns} FROM checkpoints WHERE tree_size > $1 ORDER BY tree_size LIMIT 1", treeSize, ct);

    public async Task<IReadOnlyList<SignedCheckpoint>> Range(long afterSize, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM checkpoints WHERE tree_size > $1 ORDER BY tree_size LIMIT $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = afterSize });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await Read(cmd, ct);
    }

    async Task<SignedCheckpoint?> One(string sql, long? arg, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        if (arg is { } a) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        return (await Read(cmd, ct)).FirstOrDefault();
    }

    internal static async Task<IReadOnlyList<SignedCheckpoint>> Read(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<SignedCheckpoint>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new SignedCheckpoint(r.GetInt64(0), (byte[])r[1], r.GetFieldValue<DateTimeOffset>(2), r.IsDBNull(3) ? null : (byte[])r[3], r.GetString(4), (byte[])r[5]));
        return list;
    }
}

/// <summary>
/// Cuts a signed checkpoint when the tree has grown by <see cref="LedgerOptions.CheckpointEveryLeaves"/>
/// leaves or <see cref="LedgerOptions.CheckpointInterval"/> has passed since the last one, and only if it
/// grew. Any process may call it: the <c>checkpoint_head</c> row lock lets one cut at a time, and the
/// others find nothing to do. Before signing it proves the new tree extends the last checkpoint.
/// </summary>
public sealed class CheckpointCutter(NpgsqlDataSource db, PostgresMerkleTree tree, NoteSigner signer, IClock clock, LedgerOptions options)
{
    public async Task<SignedCheckpoint?> TryCut(CancellationToken ct) => await Cut(force: false, ct);

    /// <summary>Cuts a checkpoint at the tree's size now if it grew at all, ignoring the size and time thresholds.</summary>
    public async Task<SignedCheckpoint?> CutNow(CancellationToken ct) => await Cut(force: true, ct);

    async Task<SignedCheckpoint?> Cut(bool force, CancellationToken ct)
    {
        // Unlocked look first, in one round trip: whether the tree grew and, unless forced, whether a cut is due. The ledger's
        // worker asks after every append, and under load the tree grows every few milliseconds while a cut falls due every
        // CheckpointInterval: without it each ask locked the head, read the last checkpoint and rolled back. The locked path
        // below decides again, so a stale look costs at most one round.
        await using (var peek = db.CreateCommand(
            """
            SELECT h.tree_size, t.size, c.created_at FROM checkpoint_head h CROSS JOIN merkle_tree t
            LEFT JOIN checkpoints c ON c.tree_size = h.tree_size WHERE h.id = 1 AND t.id = 1
            """))
        await using (var r = await peek.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            var (headSeen, sizeSeen) = (r.GetInt64(0), r.GetInt64(1));
            if (headSeen >= sizeSeen) return null;
            if (!force && !r.IsDBNull(2) && sizeSeen - headSeen < options.CheckpointEveryLeaves
                && CheckpointBody.Truncate(clock.UtcNow) - r.GetFieldValue<DateTimeOffset>(2) < options.CheckpointInterval) return null;
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        long headSize;
        await using (var head = new NpgsqlCommand("SELECT tree_size FROM checkpoint_head WHERE id = 1 FOR UPDATE", conn, tx))
            headSize = (long)(await head.ExecuteScalarAsync(ct))!;
        var size = await tree.Size(ct);
        if (size <= headSize) return null;

        SignedCheckpoint? previous = null;
        if (headSize > 0)
        {
            await using var prev = new NpgsqlCommand("SELECT tree_size, root_hash, created_at, previous_hash, note, note_hash FROM checkpoints WHERE tree_size = $1", conn, tx);
            prev.Parameters.Add(new NpgsqlParameter { Value = headSize });
            previous = (await CheckpointStore.Read(prev, ct)).Single();
        }
        var now = CheckpointBody.Truncate(clock.UtcNow);
        var due = force || previous is null || size - headSize >= options.CheckpointEveryLeaves || now - previous.Timestamp >= options.CheckpointInterval;
        if (!due) return null;

        var root = await tree.Root(size, ct);
        if (previous is not null) await EnsureExtends(previous, size, root, ct);
        if (previous is not null && now < previous.Timestamp) now = previous.Timestamp; // never go back in time, even if clocks differ between processes

        var note = SignedNote.Sign(new CheckpointBody(signer.Name, size, root, now, previous?.NoteHash).ToText(), signer);
        var cut = new SignedCheckpoint(size, root, now, previous?.NoteHash, note, CheckpointBody.NoteHash(note));
        await using (var write = new NpgsqlBatch(conn, tx))
        {
            var insert = new NpgsqlBatchCommand("INSERT INTO checkpoints (tree_size, root_hash, created_at, previous_hash, note, note_hash) VALUES ($1, $2, $3, $4, $5, $6)");
            foreach (var v in new object[] { cut.TreeSize, cut.RootHash, cut.Timestamp, (object?)cut.PreviousHash ?? DBNull.Value, cut.Note, cut.NoteHash })
                insert.Parameters.Add(new NpgsqlParameter { Value = v });
            write.BatchCommands.Add(insert);
            var head = new NpgsqlBatchCommand("UPDATE checkpoint_head SET tree_size = $1, note_hash = $2 WHERE id = 1");
            head.Parameters.Add(new NpgsqlParameter { Value = cut.TreeSize });
            head.Parameters.Add(new NpgsqlParameter { Value = cut.NoteHash });
            write.BatchCommands.Add(head);
            await write.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return cut;
    }

    /// <summary>A log must never sign a tree inconsistent with one it signed before, nor continue another key's log.</summary>
    async Task EnsureExtends(SignedCheckpoint previous, long size, byte[] root, CancellationToken ct)
    {
        var opened = SignedNote.Open(previous.Note, signer.Verifier);
        if (!opened.IsValid)
            throw new InvalidOperationException($"Checkpoint {previous.TreeSize} does not verify with this process's ledger key {signer.VerifierKey} ({opened.Message}): every process must use the same key file.");
        var proof = await tree.ConsistencyProof(previous.TreeSize, size, ct);
        var check = MerkleVerifier.VerifyConsistency(previous.TreeSize, size, previous.RootHash, root, proof);
        if (!check.IsValid) throw new InvalidOperationException($"The stored tree of {size} does not extend checkpoint {previous.TreeSize}: {check}. Refusing to sign.");
    }
}
