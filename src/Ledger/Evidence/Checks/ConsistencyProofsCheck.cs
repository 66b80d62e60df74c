using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Merkle;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// Every earlier checkpoint in the bundle is a prefix of the bundle's checkpoint (RFC 9162 consistency proofs), and each
/// proof line that names the checkpoint that first logged its event names one that holds it.
/// </summary>
static class ConsistencyProofsCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var proven = new HashSet<long>();
        var treeSize = bundle.Manifest.TreeSize;
        var main = bundle.MainCheckpoint;
        foreach (var line in bundle.ConsistencyLines)
        {
            var where = $"{BundleFormat.Consistency} line {line.Line}";
            if (line.Path is null) { failures.Add($"{where}: not a consistency line ({line.Error})"); continue; }
            var (from, to) = (line.From, line.To);
            if (to != treeSize) { failures.Add($"{where}: proves {from} → {to}, not → the checkpoint's {treeSize}"); continue; }
            if (!bundle.Checkpoints.TryGetValue(from, out var old)) { failures.Add($"{where}: checkpoint {from} is not in the bundle"); continue; }
            if (main is null) { failures.Add($"{where}: the bundle's checkpoint is missing"); continue; }
            var verdict = MerkleVerifier.VerifyConsistency(from, to, old.Root, main.Root, line.Path);
            if (!verdict.IsValid) failures.Add($"{where}: {old.File} is not a prefix of {main.File} ({verdict})");
            else proven.Add(from);
        }
        foreach (var c in bundle.Checkpoints.Values.Where(c => c.Size != treeSize && !proven.Contains(c.Size)).OrderBy(c => c.Size))
            if (!failures.Any(f => f.Contains($"{c.File} is not a prefix", StringComparison.Ordinal))) failures.Add($"{c.File}: no consistency proof to the bundle's checkpoint {treeSize}");
        var logged = 0;
        foreach (var p in bundle.Proofs.Values.Where(p => p.FirstCheckpoint is not null).OrderBy(p => p.Position))
        {
            var first = p.FirstCheckpoint!.Value;
            var where = $"{BundleFormat.Proofs} line {p.Line} (position {p.Position})";
            if (p.LeafIndex >= first) failures.Add($"{where}: says checkpoint {first} first logged it, but leaf {p.LeafIndex} is not in a tree of {first}");
            else if (first != treeSize && !bundle.Checkpoints.ContainsKey(first)) failures.Add($"{where}: names checkpoint {first}, which is not in the bundle");
            else logged++;
        }
        return VerificationCheck.From("consistency proofs", failures,
            $"{proven.Count} earlier checkpoints are prefixes of the checkpoint of {treeSize}; {logged} events shown logged by the checkpoint that first held them");
    }
}
