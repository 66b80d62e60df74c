using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Merkle;
using Npgsql;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>What the API asks of the verifiable ledger.</summary>
public sealed class LedgerService : ILedgerQueries
{
    public const string EventNotFound = LedgerCodes.EventNotFound;
    public const string NotYetInTree = LedgerCodes.NotYetInTree;
    public const string TreeSizeOutOfRange = LedgerCodes.TreeSizeOutOfRange;
    public const string NoCheckpoint = LedgerCodes.NoCheckpoint;

    readonly NpgsqlDataSource _db;
    readonly PostgresMerkleTree _tree;
    readonly CheckpointStore _checkpoints;
    readonly LedgerKeys _keys;
    readonly IntegrityCheck _integrity;
    readonly LocalAnchor _localAnchor;

    public LedgerService(NpgsqlDataSource db, IEventStore events, PostgresMerkleTree tree, LedgerKeys keys)
    {
        (_db, _tree, _keys) = (db, tree, keys);
        _checkpoints = new CheckpointStore(db);
        _integrity = new IntegrityCheck(events, new PostgresMerkleTree(db, cacheTiles: false), _checkpoints, keys.Ledger.Verifier);
        _localAnchor = new LocalAnchor(db, keys.Anchor, new SystemClock()); // read-only here
    }

    public Task<SignedCheckpoint?> LatestCheckpoint(CancellationToken ct) => _checkpoints.Latest(ct);

    public Task<SignedCheckpoint?> CheckpointBySize(long treeSize, CancellationToken ct) => _checkpoints.BySize(treeSize, ct);

    public async Task<IReadOnlyList<CheckpointCosignature>> Cosignatures(long treeSize, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT witness, witness_key, cosignature, cosigned_at FROM witness_cosignatures WHERE tree_size = $1 ORDER BY witness");
        cmd.Parameters.Add(new NpgsqlParameter { Value = treeSize });
        var list = new List<CheckpointCosignature>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(new CheckpointCosignature(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)));
        return list;
    }

    /// <summary>Checkpoints after <paramref name="afterSize"/>, oldest first (paging).</summary>
    public Task<IReadOnlyList<SignedCheckpoint>> Checkpoints(long afterSize, int limit, CancellationToken ct) => _checkpoints.Range(afterSize, limit, ct);

    /// <summary>The tree's size now (it runs ahead of the latest checkpoint).</summary>
    public Task<long> TreeSize(CancellationToken ct) => _tree.Size(ct);

    /// <summary>Inclusion proof of an event against a tree size (default: the latest checkpoint's).</summary>
    public async Task<LedgerResult<InclusionProof>> InclusionProofForEvent(Guid eventId, long? treeSize, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT position FROM events WHERE event_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = eventId });
        return await cmd.ExecuteScalarAsync(ct) is long position
            ? await InclusionProofForPosition(position, treeSize, ct)
            : LedgerResult<InclusionProof>.Fail(EventNotFound, $"No event {eventId}.");
    }

    /// <summary>Inclusion proof of the event at a position (leaf position − 1) against a tree size (default: the latest checkpoint's).</summary>
    public async Task<LedgerResult<InclusionProof>> InclusionProofForPosition(long position, long? treeSize, CancellationToken ct)
    {
        byte[] eventHash;
        Guid eventId;
        await using (var cmd = _db.CreateCommand("SELECT event_id, hash FROM events WHERE position = $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = position });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return LedgerResult<InclusionProof>.Fail(EventNotFound, $"No event at position {position}.");
            (eventId, eventHash) = (r.GetGuid(0), (byte[])r[1]);
        }
        var size = await ResolveSize(treeSize, ct);
        if (!size.Ok) return LedgerResult<InclusionProof>.Fail(size.ErrorCode!, size.Error!);
        var n = size.Value!.Value;
        if (position > n)
            return LedgerResult<InclusionProof>.Fail(NotYetInTree, $"Position {position} is not in a tree of {n}; its proof is available once a checkpoint of at least {position} is cut.");
        var path = await _tree.InclusionProof(position - 1, n, ct);
        var root = await _tree.Root(n, ct);
        return new InclusionProof(position, eventId, position - 1, n, eventHash, MerkleHash.Leaf(eventHash), root, path, await _checkpoints.BySize(n, ct));
    }

    /// <summary>Consistency proof that the tree of <paramref name="firstSize"/> is a prefix of the tree of <paramref name="secondSize"/>.</summary>
    public async Task<LedgerResult<ConsistencyProof>> ConsistencyProof(long firstSize, long secondSize, CancellationToken ct)
    {
        var current = await _tree.Size(ct);
        if (firstSize < 0 || firstSize > secondSize || secondSize > current)
            return LedgerResult<ConsistencyProof>.Fail(TreeSizeOutOfRange, $"Need 0 ≤ first ({firstSize}) ≤ second ({secondSize}) ≤ tree size ({current}).");
        var path = await _tree.ConsistencyProof(firstSize, secondSize, ct);
        return new ConsistencyProof(firstSize, secondSize, await _tree.Root(firstSize, ct), await _tree.Root(secondSize, ct), path);
    }

    /// <summary>Anchor receipts, oldest first; for one checkpoint size if given.</summary>
    public async Task<IReadOnlyList<AnchorReceipt>> Anchors(long? treeSize, long afterSize, int limit, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand(treeSize is null
            ? "SELECT anchor, tree_size, transaction_ref, anchored_at, proof::text FROM anchor_receipts WHERE tree_size > $1 ORDER BY tree_size, anchor LIMIT $2"
            : "SELECT anchor, tree_size, transaction_ref, anchored_at, proof::text FROM anchor_receipts WHERE tree_size = $1 ORDER BY anchor LIMIT $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = treeSize ?? afterSize });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        var list = new List<AnchorReceipt>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(new AnchorReceipt(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetString(4)));
        return list;
    }

    /// <summary>Each anchor's cursor: how far it got and whether it is failing.</summary>
    public async Task<IReadOnlyList<AnchorStatus>> AnchorStatuses(CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("""
            SELECT c.anchor, c.last_size, c.failures, c.last_error, c.next_attempt_at, c.updated_at, r.anchored_at,
                   (SELECT count(*) FROM checkpoints k WHERE k.tree_size > c.last_size),
                   coalesce(extract(epoch FROM now() - (SELECT k.created_at FROM checkpoints k WHERE k.tree_size > c.last_size ORDER BY k.tree_size LIMIT 1)), 0)::float8,
                   c.failing_since
            FROM anchor_cursors c LEFT JOIN anchor_receipts r ON r.anchor = c.anchor AND r.tree_size = c.last_size
            ORDER BY c.anchor
            """);
        var list = new List<AnchorStatus>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new AnchorStatus(r.GetString(0), r.GetInt64(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetFieldValue<DateTimeOffset>(4),
                r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.GetInt64(7), Math.Max(0, Math.Round(r.GetDouble(8), 3)),
                r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9)));
        return list;
    }

    public LedgerPublicKeys PublicKeys() => new(_keys.Ledger.Name, _keys.Ledger.VerifierKey, _keys.Anchor.Name, _keys.Anchor.VerifierKey);

    /// <summary>Recomputes events, chains, leaves, nodes and checkpoints over positions [from, to]; names the first bad position.</summary>
    public Task<IntegrityReport> CheckIntegrity(long fromPosition, long toPosition, CancellationToken ct) => _integrity.Run(fromPosition, toPosition, ct);

    /// <summary>Checks the whole local anchor log: sequence, signatures by the anchor key, hash links, order.</summary>
    public Task<(bool Ok, long? FirstBadSeq, string Message)> VerifyLocalAnchorLog(CancellationToken ct) => _localAnchor.VerifyLog(_keys.Anchor.Verifier, ct);

    /// <summary>Entries of the local anchor log after <paramref name="afterSeq"/>, oldest first.</summary>
    public Task<IReadOnlyList<LocalAnchorEntry>> LocalAnchorLog(long afterSeq, int limit, CancellationToken ct) => _localAnchor.ReadLog(afterSeq, limit, ct);

    async Task<LedgerResult<Box>> ResolveSize(long? treeSize, CancellationToken ct)
    {
        if (treeSize is null)
            return await _checkpoints.Latest(ct) is { } latest ? new Box(latest.TreeSize) : LedgerResult<Box>.Fail(NoCheckpoint, "No checkpoint has been cut yet.");
        var current = await _tree.Size(ct);
        return treeSize < 1 || treeSize > current
            ? LedgerResult<Box>.Fail(TreeSizeOutOfRange, $"Tree size {treeSize} is not between 1 and the tree's size {current}.")
            : new Box(treeSize.Value);
    }

    sealed record Box(long Value);

    /// <summary>JSON form of a proof path, as the API and the evidence bundle carry it: base64 hashes.</summary>
    public static string PathJson(IReadOnlyList<byte[]> path) => JsonSerializer.Serialize(path.Select(Convert.ToBase64String));
}
