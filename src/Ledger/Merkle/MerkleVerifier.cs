namespace AssetLedger.Ledger.Merkle;

/// <summary>
/// The outcome of checking a proof: valid, or why not, with the root the caller expected and the one the
/// proof leads to (for a consistency proof also the old tree's pair).
/// </summary>
public sealed record ProofVerification(
    bool IsValid, string Message,
    byte[]? ExpectedRoot = null, byte[]? CalculatedRoot = null,
    byte[]? ExpectedOldRoot = null, byte[]? CalculatedOldRoot = null)
{
    public static ProofVerification Valid(string message = "valid") => new(true, message);
    public static ProofVerification Invalid(string message) => new(false, message);

    public override string ToString() => IsValid ? Message
        : $"{Message}{Describe(" root", ExpectedRoot, CalculatedRoot)}{Describe(" old root", ExpectedOldRoot, CalculatedOldRoot)}";

    static string Describe(string what, byte[]? expected, byte[]? calculated) =>
        expected is null && calculated is null ? ""
            : $";{what}: expected {(expected is null ? "-" : Convert.ToHexStringLower(expected))}, calculated {(calculated is null ? "-" : Convert.ToHexStringLower(calculated))}";
}

/// <summary>Pure proof verification, exactly the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2.</summary>
public static class MerkleVerifier
{
    public static ProofVerification VerifyInclusion(long leafIndex, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size) return ProofVerification.Invalid("hashes must be 32 bytes");
        if (proof.Any(p => p.Length != MerkleHash.Size)) return ProofVerification.Invalid("every proof hash must be 32 bytes");
        if (leafIndex < 0 || leafIndex >= treeSize) return ProofVerification.Invalid($"leaf index {leafIndex} is not below tree size {treeSize}");

        var (fn, sn) = (leafIndex, treeSize - 1);
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0) return ProofVerification.Invalid($"proof has more hashes than leaf {leafIndex} in a tree of {treeSize} needs");
            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else r = MerkleHash.Node(r, p);
            fn >>= 1; sn >>= 1;
        }
        if (sn != 0) return new ProofVerification(false, "proof is too short for the tree size", root.ToArray(), r);
        return root.SequenceEqual(r)
            ? new ProofVerification(true, "valid", root.ToArray(), r)
            : new ProofVerification(false, "calculated root differs from the expected root", root.ToArray(), r);
    }

    public static ProofVerification VerifyConsistency(long firstSize, long secondSize, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        if (firstSize < 0 || secondSize < firstSize) return ProofVerification.Invalid($"sizes {firstSize} → {secondSize} do not grow");
        if (proof.Any(p => p.Length != MerkleHash.Size)) return ProofVerification.Invalid("every proof hash must be 32 bytes");
        if (firstSize == secondSize)
        {
            if (proof.Count != 0) return ProofVerification.Invalid("equal sizes need an empty proof");
            return firstRoot.SequenceEqual(secondRoot)
                ? ProofVerification.Valid("equal trees")
                : new ProofVerification(false, "equal sizes but different roots", firstRoot.ToArray(), secondRoot.ToArray());
        }
        // Every tree extends the empty tree.
        if (firstSize == 0)
            return proof.Count == 0 ? ProofVerification.Valid("the empty tree is a prefix of every tree") : ProofVerification.Invalid("from an empty tree the proof must be empty");
        if (proof.Count == 0) return ProofVerification.Invalid("empty proof");
        if (firstRoot.Length != MerkleHash.Size || secondRoot.Length != MerkleHash.Size) return ProofVerification.Invalid("roots must be 32 bytes");

        var path = (firstSize & (firstSize - 1)) == 0 ? [firstRoot.ToArray(), .. proof] : proof.ToList();
        var (fn, sn) = (firstSize - 1, secondSize - 1);
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        var (fr, sr) = (path[0], path[0]);
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return ProofVerification.Invalid("proof has more hashes than the sizes need");
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else sr = MerkleHash.Node(sr, c);
            fn >>= 1; sn >>= 1;
        }
        var result = new ProofVerification(false, "", secondRoot.ToArray(), sr, firstRoot.ToArray(), fr);
        if (sn != 0) return result with { Message = "proof is too short for the sizes" };
        if (!firstRoot.SequenceEqual(fr)) return result with { Message = "calculated old root differs from the expected old root" };
        if (!secondRoot.SequenceEqual(sr)) return result with { Message = "calculated root differs from the expected root" };
        return result with { IsValid = true, Message = "valid" };
    }
}
