using AssetLedger.Ledger.Merkle;
using Npgsql;
using NpgsqlTypes;
using static AssetLedger.Ledger.Merkle.Tiles;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>
/// The ledger's Merkle tree in PostgreSQL: <c>merkle_tree</c> holds the size, <c>merkle_tiles</c> the
/// complete-subtree hashes (see <see cref="Tiles"/>). Appends lock the size row, so any number of
/// processes may try to append and each leaf is appended once; nothing is ever rebuilt.
/// </summary>
public sealed class PostgresMerkleTree : IMerkleNodeReader
{
    readonly NpgsqlDataSource _db;
    // The partial tiles after this process's last append, valid while the tree's size is still CachedSize.
    readonly Lock _cacheLock = new();
    long _cachedSize = -1;
    Dictionary<int, byte[]> _cachedPartials = [];

    // Tiles only ever grow, so a cached tile answers any read within the entries it has. Kept: tiles above
    // the leaves (≈ 1 per 65,536 leaves) and partial leaf tiles (the right edge every proof touches).
    readonly System.Collections.Concurrent.ConcurrentDictionary<TileId, byte[]>? _cache;
    volatile Tuple<TileId, byte[]>? _edgeLeafTile;
    const int MaxCachedTiles = 8192;
    // The inner hashes of full tiles above the leaves, kept with them: every proof rehashes up to 255 entries of each upper
    // tile it passes through, and at millions of leaves a certificate's proofs pass through dozens of level-1 tiles.
    readonly System.Collections.Concurrent.ConcurrentDictionary<TileId, Tiles.Hasher>? _upperHashers;
    // The complete subtrees proofs asked for, at any level: a complete subtree's hash never changes, and a leaf tile's
    // (one 8 KiB read and up to 247 hashes for one proof) is most of a proof's cost. The same few nodes of a checkpoint's
    // leaf tile serve every consistency proof from that checkpoint, and the same leaf's proof is asked again and again.
    // Emptied when full (≈ 10 MiB), so that it keeps what is asked now.
    readonly System.Collections.Concurrent.ConcurrentDictionary<NodeId, byte[]>? _nodes;
    const int MaxCachedNodes = 1 << 17;

    /// <param name="cacheTiles">Off for the integrity check, which must read what is stored now.</param>
    public PostgresMerkleTree(NpgsqlDataSource db, bool cacheTiles = true)
    {
        _db = db;
        if (cacheTiles) (_cache, _upperHashers, _nodes) = (new(), new(), new());
    }

    public async Task<long> Size(CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT size FROM merkle_tree WHERE id = 1");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Whether the log holds events the tree does not, in one round trip: event_sequence's last position moves in the
    /// transaction that stores its events, so a committed position up to it is readable.
    /// </summary>
    public async Task<bool> BehindLog(CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT s.last_position > t.size FROM event_sequence s, merkle_tree t WHERE s.id = 1 AND t.id = 1");
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public Task<byte[]> Root(long treeSize, CancellationToken ct) => MerkleProofs.Root(treeSize, this, ct);
    public Task<byte[][]> InclusionProof(long leafIndex, long treeSize, CancellationToken ct) => MerkleProofs.Inclusion(leafIndex, treeSize, this, ct);
    public Task<byte[][]> ConsistencyProof(long firstSize, long secondSize, CancellationToken ct) => MerkleProofs.Consistency(firstSize, secondSize, this, ct);

    /// <summary>
    /// Appends leaves in one transaction holding the size row's lock. <paramref name="leavesAfter"/> is
    /// called under the lock with the current size and returns the next leaves' data (32-byte event hashes,
    /// in order); it may return none. Returns the sizes before and after.
    /// </summary>
    public async Task<(long From, long To)> Append(Func<long, CancellationToken, Task<IReadOnlyList<byte[]>>> leavesAfter, CancellationToken ct)
    {
        await using var conn = await _db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        long size;
        await using (var lockCmd = new NpgsqlCommand("SELECT size FROM merkle_tree WHERE id = 1 FOR UPDATE", conn, tx))
            size = (long)(await lockCmd.ExecuteScalarAsync(ct))!;

        var leaves = await leavesAfter(size, ct);
        if (leaves.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return (size, size);
        }

        var entries = new byte[leaves.Count * MerkleHash.Size];
        for (var i = 0; i < leaves.Count; i++) MerkleHash.Leaf(leaves[i], entries.AsSpan(i * MerkleHash.Size, MerkleHash.Size));

        var newSize = size + leaves.Count;
        var partials = await Partials(conn, tx, size, ct);
        var (tiles, newPartials) = Grow(size, entries, partials);

        await using (var write = new NpgsqlBatch(conn, tx))
        {
            var upsert = new NpgsqlBatchCommand(
                """
                INSERT INTO merkle_tiles (tile_level, tile_index, hashes)
                SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])
                ON CONFLICT (tile_level, tile_index) DO UPDATE SET hashes = excluded.hashes
                """);
            upsert.Parameters.Add(new NpgsqlParameter { Value = tiles.Select(t => (short)t.Id.Level).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = tiles.Select(t => t.Id.Index).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = tiles.Select(t => t.Hashes).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            write.BatchCommands.Add(upsert);
            var setSize = new NpgsqlBatchCommand("UPDATE merkle_tree SET size = $1 WHERE id = 1");
            setSize.Parameters.Add(new NpgsqlParameter { Value = newSize });
            write.BatchCommands.Add(setSize);
            await write.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        lock (_cacheLock) (_cachedSize, _cachedPartials) = (newSize, newPartials);
        return (size, newSize);
    }

    /// <summary>
    /// The new and changed tiles after appending <paramref name="entries"/> (leaf hashes) to a tree of
    /// <paramref name="size"/>, whose partial tiles are <paramref name="partials"/> (by tile level).
    /// </summary>
    static (List<(TileId Id, byte[] Hashes)> Tiles, Dictionary<int, byte[]> Partials) Grow(long size, byte[] entries, Dictionary<int, byte[]> partials)
    {
        var written = new List<(TileId, byte[])>();
        var newPartials = new Dictionary<int, byte[]>();
        for (var level = 0; entries.Length > 0; level++)
        {
            var firstTile = EntryCount(size, level) >> Height;
            var existing = partials.GetValueOrDefault(level) ?? [];
            var all = existing.Length == 0 ? entries : [.. existing, .. entries];
            var completed = new List<byte>();
            for (var offset = 0; offset < all.Length; offset += FullBytes)
            {
                var tile = all.AsSpan(offset, Math.Min(FullBytes, all.Length - offset)).ToArray();
                written.Add((new TileId(level, firstTile + offset / FullBytes), tile));
                if (tile.Length == FullBytes) completed.AddRange(Tiles.Hash(tile, 0, Width));
                else newPartials[level] = tile;
            }
            entries = [.. completed];
        }
        // Levels above the ones that grew keep their partial tiles.
        foreach (var (level, tile) in partials)
            if (!newPartials.ContainsKey(level) && !written.Any(w => w.Item1.Level == level)) newPartials[level] = tile;
        return (written, newPartials);
    }

    async Task<Dictionary<int, byte[]>> Partials(NpgsqlConnection conn, NpgsqlTransaction tx, long size, CancellationToken ct)
    {
        lock (_cacheLock)
            if (_cachedSize == size) return _cachedPartials;
        var wanted = new List<TileId>();
        for (var level = 0; EntryCount(size, level) > 0; level++)
        {
            var count = EntryCount(size, level);
            if ((count & (Width - 1)) != 0) wanted.Add(new TileId(level, count >> Height));
        }
        var tiles = await ReadTiles(conn, tx, wanted, ct);
        return tiles.ToDictionary(t => t.Key.Level, t => t.Value);
    }

    public async Task<IReadOnlyDictionary<NodeId, byte[]>> ReadNodes(IReadOnlyCollection<NodeId> nodes, CancellationToken ct)
    {
        var result = new Dictionary<NodeId, byte[]>(nodes.Count);
        var located = new List<(NodeId Node, Location At)>(nodes.Count);
        foreach (var n in nodes)
            if (_nodes is not null && _nodes.TryGetValue(n, out var known)) result[n] = known;
            else located.Add((n, Locate(n)));
        if (located.Count == 0) return result;
        var tiles = new Dictionary<TileId, byte[]>();
        var missing = new List<TileId>();
        foreach (var group in located.GroupBy(l => l.At.Tile))
        {
            var needed = group.Max(l => l.At.Offset + l.At.Count) * MerkleHash.Size;
            if (Cached(group.Key) is { } cached && cached.Length >= needed) tiles[group.Key] = cached;
            else missing.Add(group.Key);
        }
        if (missing.Count > 0)
        {
            await using var conn = await _db.OpenConnectionAsync(ct);
            foreach (var (id, tile) in await ReadTiles(conn, null, missing, ct))
            {
                tiles[id] = tile;
                if (_cache is null) continue;
                if (id.Level > 0 && (_cache.Count < MaxCachedTiles || _cache.ContainsKey(id))) _cache[id] = tile;
                else if (id.Level == 0 && tile.Length < FullBytes && (_edgeLeafTile is not { } edge || edge.Item1.Index <= id.Index)) _edgeLeafTile = Tuple.Create(id, tile);
            }
        }
        var hashers = new Dictionary<TileId, Tiles.Hasher>();
        if (_nodes is not null && _nodes.Count + located.Count > MaxCachedNodes) _nodes.Clear();
        foreach (var (node, at) in located)
        {
            if (!tiles.TryGetValue(at.Tile, out var tile)) throw new InvalidOperationException($"Subtree {node} is not in the stored tree (tile {at.Tile} is missing).");
            if (!hashers.TryGetValue(at.Tile, out var hasher)) hashers[at.Tile] = hasher = HasherOf(at.Tile, tile);
            var hash = hasher.Hash(at.Offset, at.Count);
            result[node] = hash;
            _nodes?.TryAdd(node, hash);
        }
        return result;
    }

    Tiles.Hasher HasherOf(TileId id, byte[] tile)
    {
        if (_upperHashers is null || id.Level == 0 || tile.Length != FullBytes) return new Tiles.Hasher(tile);
        if (_upperHashers.TryGetValue(id, out var kept)) return kept;
        var hasher = new Tiles.Hasher(tile);
        return _upperHashers.Count < MaxCachedTiles ? _upperHashers.GetOrAdd(id, hasher) : hasher;
    }

    byte[]? Cached(TileId id) =>
        _cache is null ? null
        : id.Level > 0 ? _cache.GetValueOrDefault(id)
        : _edgeLeafTile is { } edge && edge.Item1 == id ? edge.Item2 : null;

    /// <summary>Leaf hashes [<paramref name="fromIndex"/>, fromIndex + count), as stored (for the integrity check).</summary>
    public async Task<byte[][]> LeafHashes(long fromIndex, int count, CancellationToken ct)
    {
        if (count <= 0) return [];
        await using var conn = await _db.OpenConnectionAsync(ct);
        var ids = new List<TileId>();
        for (var t = fromIndex >> Height; t <= (fromIndex + count - 1) >> Height; t++) ids.Add(new TileId(0, t));
        var tiles = await ReadTiles(conn, null, ids, ct);
        var leaves = new List<byte[]>(count);
        for (var i = fromIndex; i < fromIndex + count; i++)
        {
            if (!tiles.TryGetValue(new TileId(0, i >> Height), out var tile) || tile.Length < ((i & (Width - 1)) + 1) * MerkleHash.Size) break;
            leaves.Add(tile.AsSpan((int)(i & (Width - 1)) * MerkleHash.Size, MerkleHash.Size).ToArray());
        }
        return [.. leaves];
    }

    static async Task<Dictionary<TileId, byte[]>> ReadTiles(NpgsqlConnection conn, NpgsqlTransaction? tx, IReadOnlyList<TileId> ids, CancellationToken ct)
    {
        var result = new Dictionary<TileId, byte[]>(ids.Count);
        if (ids.Count == 0) return result;
        await using var cmd = new NpgsqlCommand(
            """
            SELECT t.tile_level, t.tile_index, t.hashes
            FROM unnest($1::smallint[], $2::bigint[]) AS w(tile_level, tile_index)
            JOIN merkle_tiles t ON t.tile_level = w.tile_level AND t.tile_index = w.tile_index
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids.Select(i => (short)i.Level).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids.Select(i => i.Index).ToArray() });
        await cmd.PrepareAsync(ct); // once per physical connection: proofs skip parsing and planning
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) result[new TileId(r.GetInt16(0), r.GetInt64(1))] = (byte[])r[2];
        return result;
    }
}
