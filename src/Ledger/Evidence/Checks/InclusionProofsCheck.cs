using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Merkle;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>Every event of the bundle is a leaf, at its position − 1, of the tree whose root the bundle's checkpoint signs (RFC 9162).</summary>
static class InclusionProofsCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var treeSize = bundle.Manifest.TreeSize;
        foreach (var line in bundle.ProofLines)
        {
            if (line.Proof is null) failures.Add($"{BundleFormat.Proofs} line {line.Line}: not a proof line ({line.Error})");
            else if (line.Duplicate) failures.Add($"{BundleFormat.Proofs} line {line.Line}: a second proof for position {line.Proof.Position}");
        }
        var root = bundle.MainCheckpoint?.Root;
        var checkedCount = 0;
        var events = bundle.AllEvents;
        foreach (var e in events)
        {
            if (!bundle.Proofs.TryGetValue(e.Position, out var p)) { failures.Add($"{e.Where}: no inclusion proof in {BundleFormat.Proofs}"); continue; }
            var where = $"{e.Where}, {BundleFormat.Proofs} line {p.Line}";
            if (p.TreeSize != treeSize) { failures.Add($"{where}: proof is for a tree of {p.TreeSize}, not the checkpoint's {treeSize}"); continue; }
            if (p.LeafIndex != e.Position - 1) { failures.Add($"{where}: leaf index {p.LeafIndex} is not position − 1"); continue; }
            if (root is null) { failures.Add($"{where}: no checkpoint root to check against"); continue; }
            byte[] leafData;
            try { leafData = Convert.FromHexString(e.Hash); }
            catch (FormatException) { failures.Add($"{where}: the recorded hash is not hex"); continue; }
            var verdict = MerkleVerifier.VerifyInclusion(p.LeafIndex, p.TreeSize, MerkleHash.Leaf(leafData), p.Path, root);
            if (!verdict.IsValid) failures.Add($"{where}: the event's hash is not leaf {p.LeafIndex} of the checkpoint's tree ({verdict})");
            else checkedCount++;
        }
        var positions = events.Select(e => e.Position).ToHashSet();
        foreach (var p in bundle.Proofs.Values.Where(p => !positions.Contains(p.Position)).OrderBy(p => p.Position))
            failures.Add($"{BundleFormat.Proofs} line {p.Line}: proof for position {p.Position}, which no event in the bundle has");
        return VerificationCheck.From("inclusion proofs", failures, $"{checkedCount} events are leaves of the checkpoint's tree of {treeSize} (RFC 9162)");
    }
}
