namespace AssetLedger.Ledger.Merkle;

/// <summary>Where complete-subtree hashes come from: PostgreSQL tiles, or memory in tests and checks.</summary>
public interface IMerkleNodeReader
{
    /// <summary>The hashes of the given complete subtrees; every one must exist.</summary>
    Task<IReadOnlyDictionary<NodeId, byte[]>> ReadNodes(IReadOnlyCollection<NodeId> nodes, CancellationToken ct);
}

/// <summary>Turns a plan from <see cref="TreePlan"/> into hashes, with one read for all the nodes it needs.</summary>
public static class MerkleProofs
{
    public static async Task<byte[][]> Resolve(IReadOnlyList<SubtreeRange> ranges, IMerkleNodeReader reader, CancellationToken ct)
    {
        if (ranges.Count == 0) return [];
        var perRange = ranges.Select(TreePlan.CompleteSubtrees).ToArray();
        var nodes = await reader.ReadNodes(perRange.SelectMany(ids => ids).Distinct().ToArray(), ct);
        return perRange.Select(ids => TreePlan.Fold(ids.Select(id => nodes[id]).ToArray())).ToArray();
    }

    public static async Task<byte[]> Root(long treeSize, IMerkleNodeReader reader, CancellationToken ct) =>
        treeSize == 0 ? MerkleHash.EmptyRoot : (await Resolve([TreePlan.Root(treeSize)], reader, ct))[0];

    public static Task<byte[][]> Inclusion(long leafIndex, long treeSize, IMerkleNodeReader reader, CancellationToken ct) =>
        Resolve(TreePlan.Inclusion(leafIndex, treeSize), reader, ct);

    public static Task<byte[][]> Consistency(long firstSize, long secondSize, IMerkleNodeReader reader, CancellationToken ct) =>
        Resolve(TreePlan.Consistency(firstSize, secondSize), reader, ct);
}

/// <summary>
/// A Merkle log in memory: every complete subtree kept as it completes. For tests, the benchmark's
/// reference and the integrity check's recomputation.
/// </summary>
public sealed class MemoryMerkleTree : IMerkleNodeReader
{
    readonly List<List<byte[]>> _levels = [[]];

    public long Size => _levels[0].Count;

    /// <summary>Appends a leaf whose data is <paramref name="leafData"/> (for us an event's 32-byte hash).</summary>
    public void Append(ReadOnlySpan<byte> leafData) => AppendLeafHash(MerkleHash.Leaf(leafData));

    public void AppendLeafHash(byte[] leafHash)
    {
        var (level, hash) = (0, leafHash);
        while (true)
        {
            if (_levels.Count == level) _levels.Add([]);
            var nodes = _levels[level];
            nodes.Add(hash);
            if ((nodes.Count & 1) == 1) return;
            hash = MerkleHash.Node(nodes[^2], nodes[^1]);
            level++;
        }
    }

    public byte[] Node(NodeId id) =>
        id.Level < _levels.Count && id.Index < _levels[id.Level].Count ? _levels[id.Level][(int)id.Index]
            : throw new KeyNotFoundException($"Subtree {id} is not complete in a tree of {Size}.");

    public Task<IReadOnlyDictionary<NodeId, byte[]>> ReadNodes(IReadOnlyCollection<NodeId> nodes, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<NodeId, byte[]>>(nodes.ToDictionary(n => n, Node));

    public byte[] Root(long treeSize) => treeSize == 0 ? MerkleHash.EmptyRoot : TreePlan.Fold(TreePlan.CompleteSubtrees(TreePlan.Root(treeSize)).Select(Node).ToArray());

    public byte[][] Inclusion(long leafIndex, long treeSize) => Resolve(TreePlan.Inclusion(leafIndex, treeSize));

    public byte[][] Consistency(long firstSize, long secondSize) => Resolve(TreePlan.Consistency(firstSize, secondSize));

    byte[][] Resolve(IReadOnlyList<SubtreeRange> ranges) =>
        ranges.Select(r => TreePlan.Fold(TreePlan.CompleteSubtrees(r).Select(Node).ToArray())).ToArray();
}
