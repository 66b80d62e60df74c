using AssetLedger.Ledger.Merkle;

namespace AssetLedger.Ledger.Tests.Merkle;

public sealed class merkle_tree_against_the_rfc
{
    static byte[] H(string hex) => Convert.FromHexString(hex);

    // RFC 6962 test data as used by certificate-transparency and transparency-dev/merkle (testonly/constants.go).
    static readonly byte[][] VectorLeaves = new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }.Select(H).ToArray();
    static readonly byte[][] VectorRoots =
    [
        H("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        H("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        H("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        H("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
        H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        H("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
        H("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
        H("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
        H("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
    ];

    static MemoryMerkleTree VectorTree()
    {
        var tree = new MemoryMerkleTree();
        foreach (var leaf in VectorLeaves) tree.Append(leaf);
        return tree;
    }

    [Fact]
    public void roots_of_the_rfc_6962_test_vectors_match_for_sizes_0_to_8()
    {
        var tree = VectorTree();
        for (var size = 0; size <= 8; size++) Assert.Equal(Convert.ToHexStringLower(VectorRoots[size]), Convert.ToHexStringLower(tree.Root(size)));
    }

    public static TheoryData<int, int, string[]> InclusionVectors => new()
    {
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        { 1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 0, 1, [] },
    };

    [Theory, MemberData(nameof(InclusionVectors))]
    public void inclusion_proofs_match_the_published_vectors_and_verify(int leafIndex, int treeSize, string[] expected)
    {
        var tree = VectorTree();
        var proof = tree.Inclusion(leafIndex, treeSize);
        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleVerifier.VerifyInclusion(leafIndex, treeSize, MerkleHash.Leaf(VectorLeaves[leafIndex]), proof, VectorRoots[treeSize]).IsValid);
    }

    public static TheoryData<int, int, string[]> ConsistencyVectors => new()
    {
        { 1, 1, [] },
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
    };

    [Theory, MemberData(nameof(ConsistencyVectors))]
    public void consistency_proofs_match_the_published_vectors_and_verify(int first, int second, string[] expected)
    {
        var tree = VectorTree();
        var proof = tree.Consistency(first, second);
        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleVerifier.VerifyConsistency(first, second, VectorRoots[first], VectorRoots[second], proof).IsValid);
    }

    [Fact]
    public void every_root_inclusion_and_consistency_proof_for_sizes_1_to_300_matches_the_naive_rfc_definitions()
    {
        const int Max = 300;
        var data = Enumerable.Range(0, Max).Select(ReferenceTree.EventHash).ToList();
        var reference = new ReferenceTree(data);
        var tree = new MemoryMerkleTree();
        foreach (var d in data) tree.Append(d);

        for (var n = 1; n <= Max; n++)
        {
            var root = tree.Root(n);
            Assert.True(reference.Root(n).AsSpan().SequenceEqual(root), $"root of {n}");
            for (var m = 0; m < n; m++)
            {
                var path = tree.Inclusion(m, n);
                Assert.Equal(Hex(reference.Path(m, 0, n)), Hex(path));
                var check = MerkleVerifier.VerifyInclusion(m, n, reference.LeafHash(m), path, root);
                Assert.True(check.IsValid, $"inclusion {m} in {n}: {check}");
            }
            for (var m = 1; m <= n; m++)
            {
                var proof = tree.Consistency(m, n);
                Assert.Equal(Hex(reference.Proof(m, n)), Hex(proof));
                var check = MerkleVerifier.VerifyConsistency(m, n, reference.Root(m), root, proof);
                Assert.True(check.IsValid, $"consistency {m} → {n}: {check}");
            }
        }
    }

    [Fact]
    public void altered_inclusion_proofs_are_rejected()
    {
        var data = Enumerable.Range(0, 70).Select(ReferenceTree.EventHash).ToList();
        var tree = new MemoryMerkleTree();
        foreach (var d in data) tree.Append(d);
        foreach (var n in new[] { 2, 3, 5, 8, 13, 31, 32, 33, 64, 70 })
        {
            var root = tree.Root(n);
            for (var m = 0; m < n; m++)
            {
                var leaf = MerkleHash.Leaf(data[m]);
                var proof = tree.Inclusion(m, n);
                foreach (var (what, bad) in Alterations(proof))
                    Assert.False(MerkleVerifier.VerifyInclusion(m, n, leaf, bad, root).IsValid, $"{what} accepted for {m} in {n}");
                Assert.False(MerkleVerifier.VerifyInclusion(m, n, MerkleHash.Leaf(data[(m + 1) % n]), proof, root).IsValid);
                Assert.False(MerkleVerifier.VerifyInclusion(m + 1, n, leaf, proof, root).IsValid);
                Assert.False(MerkleVerifier.VerifyInclusion(m, n * 2, leaf, proof, root).IsValid);
                Assert.False(MerkleVerifier.VerifyInclusion(m, n, leaf, proof, tree.Root(n - 1)).IsValid);
            }
        }
    }

    [Fact]
    public void altered_consistency_proofs_are_rejected()
    {
        var data = Enumerable.Range(0, 70).Select(ReferenceTree.EventHash).ToList();
        var tree = new MemoryMerkleTree();
        foreach (var d in data) tree.Append(d);
        for (var n = 2; n <= 70; n += 3)
            for (var m = 1; m < n; m++)
            {
                var (r1, r2) = (tree.Root(m), tree.Root(n));
                var proof = tree.Consistency(m, n);
                foreach (var (what, bad) in Alterations(proof))
                    Assert.False(MerkleVerifier.VerifyConsistency(m, n, r1, r2, bad).IsValid, $"{what} accepted for {m} → {n}");
                Assert.False(MerkleVerifier.VerifyConsistency(m, n, r2, r1, proof).IsValid);
                Assert.False(MerkleVerifier.VerifyConsistency(m, n, tree.Root(m - 1), r2, proof).IsValid);
                Assert.False(MerkleVerifier.VerifyConsistency(m, n * 2, r1, r2, proof).IsValid);
                Assert.False(MerkleVerifier.VerifyConsistency(m, n, r1, r2, []).IsValid);
            }
    }

    [Fact]
    public void a_failed_verification_says_which_root_it_expected_and_which_it_calculated()
    {
        var tree = new MemoryMerkleTree();
        for (var i = 0; i < 10; i++) tree.Append(ReferenceTree.EventHash(i));
        var proof = tree.Inclusion(3, 10);
        proof[1] = (byte[])proof[1].Clone();
        proof[1][0] ^= 1;

        var check = MerkleVerifier.VerifyInclusion(3, 10, MerkleHash.Leaf(ReferenceTree.EventHash(3)), proof, tree.Root(10));

        Assert.False(check.IsValid);
        Assert.Equal(tree.Root(10), check.ExpectedRoot);
        Assert.NotNull(check.CalculatedRoot);
        Assert.NotEqual(check.ExpectedRoot, check.CalculatedRoot);
    }

    static string Hex(IEnumerable<byte[]> hashes) => string.Join(",", hashes.Select(Convert.ToHexStringLower));

    static IEnumerable<(string, byte[][])> Alterations(byte[][] proof)
    {
        for (var i = 0; i < proof.Length; i++)
        {
            var flipped = proof.Select(p => (byte[])p.Clone()).ToArray();
            flipped[i][i % 32] ^= 0x10;
            yield return ($"bit flipped in [{i}]", flipped);
        }
        if (proof.Length > 0)
        {
            yield return ("last removed", proof[..^1]);
            yield return ("first removed", proof[1..]);
            yield return ("first duplicated", [proof[0], .. proof]);
        }
        yield return ("extra hash", [.. proof, ReferenceTree.EventHash(999)]);
        yield return ("extra hash in front", [ReferenceTree.EventHash(999), .. proof]);
        if (proof.Length > 1) yield return ("reversed", proof.Reverse().ToArray());
    }
}
