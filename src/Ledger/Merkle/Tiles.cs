namespace AssetLedger.Ledger.Merkle;

/// <summary>
/// The stored form of the tree (as in C2SP tlog-tiles): tile (t, i) holds, concatenated, the hashes of up to
/// 256 consecutive complete subtrees at level 8·t, from index 256·i. Tile level 0 holds the leaf hashes.
/// The subtrees between two stored levels are rehashed from a tile on read (≤ 255 hashes), which keeps
/// an append at about one stored hash per leaf and one row per 256 leaves, and a proof at one row per
/// 8 levels (3 rows at 10 million leaves). A tile whose 256 hashes are all present never changes again.
/// </summary>
public static class Tiles
{
    public const int Height = 8;
    public const int Width = 1 << Height;
    public const int FullBytes = Width * MerkleHash.Size;

    public readonly record struct TileId(int Level, long Index);

    /// <summary>Where a complete subtree's hash comes from: a run of 2^(level mod 8) entries of one tile.</summary>
    public readonly record struct Location(TileId Tile, int Offset, int Count);

    public static Location Locate(NodeId node)
    {
        var tileLevel = node.Level / Height;
        var below = node.Level % Height;
        var first = node.Index << below; // index of the node's first entry at level 8·tileLevel
        return new Location(new TileId(tileLevel, first >> Height), (int)(first & (Width - 1)), 1 << below);
    }

    /// <summary>Entries at tree level 8·<paramref name="tileLevel"/> in a tree of <paramref name="treeSize"/> leaves.</summary>
    public static long EntryCount(long treeSize, int tileLevel) => treeSize >> (Height * tileLevel);

    /// <summary>The hash of <paramref name="count"/> (a power of two) consecutive entries of a tile: a complete subtree.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> tile, int offset, int count)
    {
        if ((offset + count) * MerkleHash.Size > tile.Length) throw new InvalidOperationException($"The tile has {tile.Length / MerkleHash.Size} entries, not the {offset + count} needed.");
        if (count == 1) return tile.Slice(offset * MerkleHash.Size, MerkleHash.Size).ToArray();
        var work = tile.Slice(offset * MerkleHash.Size, count * MerkleHash.Size).ToArray();
        for (var n = count; n > 1; n >>= 1)
            for (var i = 0; i < n / 2; i++)
                MerkleHash.Node(work.AsSpan(2 * i * MerkleHash.Size, MerkleHash.Size), work.AsSpan((2 * i + 1) * MerkleHash.Size, MerkleHash.Size), work.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
        return work[..MerkleHash.Size];
    }

    /// <summary>
    /// Complete subtrees of one tile, each inner node hashed once however many subtrees share it: the hundreds of inclusion
    /// proofs of a search certificate meet in the same upper tiles, where one proof alone rehashes up to 255 entries.
    /// The inner nodes sit in one flat array by level (no per-node allocation or dictionary: at a certificate's ~60 leaf
    /// tiles these were a fifth of its hashing). Safe to share between threads, so that a full tile's hasher (whose hashes
    /// never change) can serve every later read.
    /// </summary>
    public sealed class Hasher
    {
        readonly byte[] _tile;
        readonly int _entries;
        // The subtree of 2^level entries at index i is at (LevelStart(level) + i)·32 in _inner, once _known says so.
        readonly byte[] _inner;
        readonly int[] _known;

        public Hasher(byte[] tile)
        {
            _tile = tile;
            _entries = tile.Length / MerkleHash.Size;
            _inner = new byte[(Width - 1) * MerkleHash.Size];
            _known = new int[Width - 1];
        }

        /// <summary>Slot of the first subtree of 2^level entries (level 1..8): level 1 has 128 slots, level 2 64, …, level 8 one.</summary>
        static int LevelStart(int level) => Width - (Width >> (level - 1));

        /// <summary>The same hash as <see cref="Tiles.Hash"/> of this tile; <paramref name="offset"/> is a multiple of <paramref name="count"/>, a power of two.</summary>
        public byte[] Hash(int offset, int count)
        {
            if ((offset + count) * MerkleHash.Size > _tile.Length) throw new InvalidOperationException($"The tile has {_entries} entries, not the {offset + count} needed.");
            if (count <= 0 || (count & (count - 1)) != 0 || offset % count != 0) throw new ArgumentException($"Entries {offset}+{count} are not a complete subtree of a tile.");
            if (count == 1) return _tile.AsSpan(offset * MerkleHash.Size, MerkleHash.Size).ToArray();
            var level = System.Numerics.BitOperations.Log2((uint)count);
            return Inner(level, offset >> level).ToArray();
        }

        ReadOnlySpan<byte> Inner(int level, int index)
        {
            var slot = LevelStart(level) + index;
            var at = _inner.AsSpan(slot * MerkleHash.Size, MerkleHash.Size);
            if (Volatile.Read(ref _known[slot]) != 0) return at;
            ReadOnlySpan<byte> left = level == 1 ? _tile.AsSpan(2 * index * MerkleHash.Size, MerkleHash.Size) : Inner(level - 1, 2 * index);
            ReadOnlySpan<byte> right = level == 1 ? _tile.AsSpan((2 * index + 1) * MerkleHash.Size, MerkleHash.Size) : Inner(level - 1, 2 * index + 1);
            // Two threads may hash the same node at once: both write the same bytes, and only then say it is known.
            MerkleHash.Node(left, right, at);
            Volatile.Write(ref _known[slot], 1);
            return at;
        }
    }
}
