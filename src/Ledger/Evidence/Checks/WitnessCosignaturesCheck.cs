using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Witness;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// The witnesses' cosignatures (cosignatures.jsonl, tlog-cosignature/v1) of the bundle's checkpoint, by the witness keys the
/// person verifying pinned: each line by a pinned key must verify over its checkpoint's text, and at least the policy's
/// quorum of distinct pinned witnesses must have cosigned the bundle's checkpoint. Lines by other keys are ignored, as the
/// spec says. A witness cosigns only a checkpoint consistent with every one it cosigned before, so a history the operator
/// re-derived with its own keys has no cosignature from an honest witness.
/// </summary>
static class WitnessCosignaturesCheck
{
    const string Name = "witness cosignatures";

    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var policy = options.TrustPolicy;
        var failures = new List<string>();
        var keys = new List<CosignerKey>();
        foreach (var k in policy.Witnesses)
            if (CosignerKey.TryParse(k, out var key)) keys.Add(key!);
            else failures.Add($"the pinned witness key '{k}' is not a cosignature/v1 verifier key");
        if (policy.RequiredCosignatures > keys.Count && failures.Count == 0)
            failures.Add($"the policy asks for {policy.RequiredCosignatures} cosignatures but pins {keys.Count} witness keys");

        var main = bundle.Manifest.TreeSize;
        var cosigned = new HashSet<string>(StringComparer.Ordinal);
        int ignored = 0, earlier = 0;
        foreach (var line in bundle.CosignatureLines)
        {
            var where = $"{BundleFormat.Cosignatures} line {line.Line}";
            if (line.Cosignature is null) { failures.Add($"{where}: not a cosignature line ({line.Error})"); continue; }
            var key = keys.FirstOrDefault(k => SignedBy(line.Cosignature, k));
            if (key is null) { ignored++; continue; }
            if (!bundle.Checkpoints.TryGetValue(line.TreeSize, out var cp)) { failures.Add($"{where}: checkpoint {line.TreeSize} is not in the bundle"); continue; }
            var check = Cosignature.Verify(WitnessDecision.Text(cp.Note), line.Cosignature, key);
            if (!check.IsValid) { failures.Add($"{where}: {cp.File}: {check.Message}"); continue; }
            if (line.TreeSize == main) cosigned.Add(key.VerifierKey);
            else earlier++;
        }
        var missing = keys.Where(k => !cosigned.Contains(k.VerifierKey)).Select(k => k.Name).ToList();
        if (cosigned.Count < policy.RequiredCosignatures)
            failures.Add($"{bundle.Manifest.CheckpointFile}: cosigned by {cosigned.Count} of the {policy.RequiredCosignatures} pinned witnesses required" +
                         (missing.Count > 0 ? $" (no valid cosignature by {string.Join(", ", missing)})" : "") +
                         (bundle.Manifest.FormatVersion < 2 ? $"; a bundle of format {bundle.Manifest.FormatVersion} carries no cosignatures" : "") +
                         ": no witness vouches that this checkpoint extends the history it saw");
        var summary = !policy.WitnessesDecided
            ? $"no witness pinned ({bundle.CosignatureLines.Count} cosignature lines not relied on; pass --witness-key)"
            : keys.Count == 0 ? "no witness required by the policy (--witness-quorum 0)"
            : $"checkpoint {main} cosigned by {cosigned.Count} of {keys.Count} pinned witnesses (quorum {policy.RequiredCosignatures})"
              + (earlier > 0 ? $"; {earlier} cosignatures of earlier checkpoints hold" : "") + (ignored > 0 ? $"; {ignored} lines by other keys ignored" : "");
        return VerificationCheck.From(Name, failures, summary);
    }

    static bool SignedBy(string line, CosignerKey key) => line.StartsWith($"\u2014 {key.Name} ", StringComparison.Ordinal);
}
