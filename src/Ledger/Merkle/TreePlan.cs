using System.Numerics;

namespace AssetLedger.Ledger.Merkle;

/// <summary>A complete subtree: the 2^Level leaves from <c>Index·2^Level</c>. Its hash never changes once it exists.</summary>
public readonly record struct NodeId(int Level, long Index)
{
    public long FirstLeaf => Index << Level;
    public long EndLeaf => (Index + 1) << Level;
}

/// <summary>
/// Leaves [Start, Start + Size) of a subtree as RFC 9162 splits trees: Start is a multiple of the smallest
/// power of two ≥ Size, so its hash is the right fold of the complete subtrees of Size's binary digits.
/// </summary>
public readonly record struct SubtreeRange(long Start, long Size);

/// <summary>
/// Which subtrees a root or proof needs (RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1), apart from hashing them:
/// the caller reads the complete subtrees from wherever it keeps them and folds them with <see cref="Fold"/>.
/// </summary>
public static class TreePlan
{
    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2): RFC 9162's split point k.</summary>
    public static long Split(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>The complete subtrees whose right fold is the range's hash, largest (leftmost) first.</summary>
    public static NodeId[] CompleteSubtrees(SubtreeRange range)
    {
        if (range.Size <= 0) throw new ArgumentOutOfRangeException(nameof(range), "A subtree has at least one leaf.");
        var nodes = new NodeId[BitOperations.PopCount((ulong)range.Size)];
        var (position, i) = (range.Start, 0);
        for (var level = 62; level >= 0; level--)
        {
            if ((range.Size >> level & 1) == 0) continue;
            if ((position & ((1L << level) - 1)) != 0) throw new ArgumentException($"Range {range} is not an RFC 9162 subtree.", nameof(range));
            nodes[i++] = new NodeId(level, position >> level);
            position += 1L << level;
        }
        return nodes;
    }

    /// <summary>MTH of a range from its complete subtrees' hashes (as <see cref="CompleteSubtrees"/> lists them).</summary>
    public static byte[] Fold(IReadOnlyList<byte[]> completeSubtreeHashes)
    {
        var acc = completeSubtreeHashes[^1];
        for (var i = completeSubtreeHashes.Count - 2; i >= 0; i--) acc = MerkleHash.Node(completeSubtreeHashes[i], acc);
        return acc;
    }

    /// <summary>The tree of <paramref name="size"/> leaves as one range (size ≥ 1).</summary>
    public static SubtreeRange Root(long size) => new(0, size);

    /// <summary>RFC 9162 §2.1.3.1 PATH(m, D[n]): the subtrees whose hashes form the inclusion proof, leaf side first.</summary>
    public static IReadOnlyList<SubtreeRange> Inclusion(long leafIndex, long treeSize)
    {
        if (leafIndex < 0 || leafIndex >= treeSize) throw new ArgumentOutOfRangeException(nameof(leafIndex), $"Leaf {leafIndex} is not in a tree of {treeSize}.");
        var path = new List<SubtreeRange>(64);
        Path(leafIndex, 0, treeSize, path);
        return path;
    }

    static void Path(long m, long start, long n, List<SubtreeRange> path)
    {
        if (n == 1) return;
        var k = Split(n);
        if (m < k)
        {
            Path(m, start, k, path);
            path.Add(new SubtreeRange(start + k, n - k));
        }
        else
        {
            Path(m - k, start + k, n - k, path);
            path.Add(new SubtreeRange(start, k));
        }
    }

    /// <summary>RFC 9162 §2.1.4.1 PROOF(m, D[n]): the subtrees whose hashes prove the tree of m leaves is a prefix of the tree of n.</summary>
    public static IReadOnlyList<SubtreeRange> Consistency(long firstSize, long secondSize)
    {
        if (firstSize < 0 || firstSize > secondSize) throw new ArgumentOutOfRangeException(nameof(firstSize), $"No consistency proof from {firstSize} to {secondSize}.");
        var proof = new List<SubtreeRange>(64);
        if (firstSize > 0 && firstSize < secondSize) SubProof(firstSize, 0, secondSize, true, proof);
        return proof;
    }

    static void SubProof(long m, long start, long n, bool wholeOldTree, List<SubtreeRange> proof)
    {
        if (m == n)
        {
            // The verifier knows the old root itself when this subtree is the whole old tree.
            if (!wholeOldTree) proof.Add(new SubtreeRange(start, m));
            return;
        }
        var k = Split(n);
        if (m <= k)
        {
            SubProof(m, start, k, wholeOldTree, proof);
            proof.Add(new SubtreeRange(start + k, n - k));
        }
        else
        {
            SubProof(m - k, start + k, n - k, false, proof);
            proof.Add(new SubtreeRange(start, k));
        }
    }
}
