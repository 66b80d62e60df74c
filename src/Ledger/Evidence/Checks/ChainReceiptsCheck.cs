using System.Globalization;
using System.Text.Json;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Evidence.Parsing;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// Every receipt of <c>anchors.json</c> that is not the local anchor's, offline: an EVM receipt's form and that it
/// names its checkpoint (size, root, the ledger's signature line, the previous checkpoint's root); a Fabric
/// receipt through <see cref="FabricReceiptCheck.Offline"/>; a receipt of any other kind is a failure.
/// </summary>
static class ChainReceiptsCheck
{
    const string Name = "chain receipts";

    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        List<BundleReceipt> receipts;
        try
        {
            if (bundle.Anchors.Error is { } error) return NotAReceiptList(error);
            receipts = ChainReceipts.Read(bundle.Anchors.Value);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return NotAReceiptList(e.Message);
        }
        int evm = 0, fabric = 0, previousUnknown = 0;
        var evmByAnchor = new Dictionary<string, List<(BundleReceipt R, EvmReceiptProof P)>>(StringComparer.Ordinal);
        foreach (var r in receipts.Where(r => r.Kind != ReceiptKind.Local))
        {
            if (r.Kind == ReceiptKind.Unknown)
            {
                failures.Add($"{r.Where}: a receipt of an unknown kind (its proof names neither chain \"evm\" nor network \"fabric\"): it cannot be checked");
                continue;
            }
            if (!bundle.Checkpoints.TryGetValue(r.TreeSize, out var cp)) { failures.Add($"{r.Where}: checkpoint {r.TreeSize} is not in the bundle"); continue; }
            var previous = PreviousOf(bundle, cp);
            var problems = new List<string>();
            if (r.Kind == ReceiptKind.Evm)
            {
                var proof = ChainReceipts.ReadEvm(r, problems);
                if (proof is not null)
                {
                    CheckPins(r, proof, options.TrustPolicy, problems);
                    if (!CheckEvm(r, proof, cp, previous, bundle.Manifest.Origin, problems)) previousUnknown++;
                    if (!evmByAnchor.TryGetValue(r.Anchor, out var list)) evmByAnchor[r.Anchor] = list = [];
                    list.Add((r, proof));
                }
                if (problems.Count == 0) evm++;
            }
            else
            {
                CheckFabric(r, cp, previous, options.FabricMspRoots, problems);
                CheckPins(r, null, options.TrustPolicy, problems);
                if (problems.Count == 0) fabric++;
            }
            failures.AddRange(problems);
        }
        foreach (var (anchor, list) in evmByAnchor) CheckOneContract(anchor, list, failures);

        var chain = receipts.Count(r => r.Kind != ReceiptKind.Local);
        var summary = chain == 0 ? "no chain receipts in the bundle"
            : $"{evm} EVM and {fabric} Fabric receipts name the bundle's checkpoints (size, root, the ledger's signature)"
              + (previousUnknown > 0 ? $"; the previous root of {previousUnknown} not checked (the checkpoint before is not in the bundle)" : "")
              + (fabric == 0 ? "" : options.FabricMspRoots is { Count: > 0 } roots
                  ? $"; each Fabric transaction endorsed by peers of {string.Join(" and ", roots.Keys.Order(StringComparer.Ordinal))} (pinned MSP roots)"
                  : "; Fabric endorsements not checked against MSP roots (none pinned: --fabric-msp-root)")
              + "; checked against the chains only with --online";
        return VerificationCheck.From(Name, failures, summary);
    }

    /// <summary>The kinds of the bundle's receipts (none if anchors.json is unreadable: that fails this check anyway).</summary>
    public static HashSet<ReceiptKind> Kinds(ParsedBundle bundle)
    {
        try { return bundle.Anchors.Error is null ? ChainReceipts.Read(bundle.Anchors.Value).Select(r => r.Kind).ToHashSet() : []; }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException) { return []; }
    }

    /// <summary>A receipt on another chain, contract, channel or chaincode than the pinned ones proves nothing to this person.</summary>
    static void CheckPins(BundleReceipt r, EvmReceiptProof? evm, TrustPolicy policy, List<string> problems)
    {
        if (evm is not null)
        {
            if (policy.EvmChainId is { } id && evm.ChainId != id) problems.Add($"{r.Where}: chainId {evm.ChainId} is not the pinned {id}");
            if (policy.EvmContract is { } c && !string.Equals(evm.ContractAddress, c, StringComparison.OrdinalIgnoreCase))
                problems.Add($"{r.Where}: contract {evm.ContractAddress} is not the pinned {c}");
            return;
        }
        if (r.Kind != ReceiptKind.Fabric) return;
        string? Field(string name) => r.Proof.ValueKind == JsonValueKind.Object && r.Proof.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (policy.FabricChannel is { } ch && Field("channel") != ch) problems.Add($"{r.Where}: channel {Field("channel")} is not the pinned {ch}");
        if (policy.FabricChaincode is { } cc && Field("chaincode") != cc) problems.Add($"{r.Where}: chaincode {Field("chaincode")} is not the pinned {cc}");
        if (policy.FabricMspIds is { Count: > 0 } msps && !msps.Contains(Field("mspId") ?? "")) problems.Add($"{r.Where}: MSP {Field("mspId")} is not one of the pinned {string.Join(", ", msps)}");
    }

    static VerificationCheck NotAReceiptList(string why) => VerificationCheck.From(Name, [$"{BundleFormat.Anchors}: not a receipt list ({why})"], "");

    /// <summary>One EVM anchor is one contract on one chain, which holds its checkpoints in order.</summary>
    static void CheckOneContract(string anchor, List<(BundleReceipt R, EvmReceiptProof P)> list, List<string> failures)
    {
        var first = list[0];
        foreach (var (r, p) in list.Skip(1))
        {
            if (p.ChainId != first.P.ChainId) failures.Add($"{r.Where}: chainId {p.ChainId} is not that of the anchor's other receipts ({first.R.Where}: {first.P.ChainId})");
            if (!string.Equals(p.ContractAddress, first.P.ContractAddress, StringComparison.OrdinalIgnoreCase))
                failures.Add($"{r.Where}: contractAddress {p.ContractAddress} is not that of the anchor's other receipts ({first.R.Where}: {first.P.ContractAddress})");
        }
        var ordered = list.OrderBy(x => x.R.TreeSize).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var (a, b) = (ordered[i - 1], ordered[i]);
            if (b.R.TreeSize == a.R.TreeSize) failures.Add($"{b.R.Where}: a second receipt of {anchor} for checkpoint {b.R.TreeSize} (also {a.R.Where})");
            else if ((b.P.BlockNumber, b.P.LogIndex).CompareTo((a.P.BlockNumber, a.P.LogIndex)) <= 0)
                failures.Add($"{b.R.Where}: blockNumber {b.P.BlockNumber} / logIndex {b.P.LogIndex} is not after those of the smaller checkpoint {a.R.TreeSize} " +
                             $"({a.P.BlockNumber} / {a.P.LogIndex}); the contract holds checkpoints in order");
        }
    }

    /// <summary>The checkpoint before <paramref name="cp"/>: (true, null) if it is the first; (true, the one in the bundle); (false, null) if not in the bundle.</summary>
    static (bool Known, Checkpoint? Checkpoint) PreviousOf(ParsedBundle bundle, Checkpoint cp)
    {
        if (cp.PreviousHash is null) return (true, null);
        var previous = bundle.Checkpoints.Values.FirstOrDefault(c => c.Size < cp.Size && c.NoteHash.AsSpan().SequenceEqual(cp.PreviousHash));
        return previous is null ? (false, null) : (true, previous);
    }

    /// <returns>False if the previous root could not be checked (the checkpoint before is not in the bundle).</returns>
    static bool CheckEvm(BundleReceipt r, EvmReceiptProof p, Checkpoint cp, (bool Known, Checkpoint? Checkpoint) previous, string origin, List<string> problems)
    {
        void Bad(string what) => problems.Add($"{r.Where}: {what}");
        if (!p.Root.AsSpan().SequenceEqual(cp.Root)) Bad($"root {ChainReceipts.Hex(p.Root)} is not the root of {cp.File} ({ChainReceipts.Hex(cp.Root)})");
        var signature = ChainReceipts.LedgerSignature(cp.Note, origin);
        if (signature is null) Bad($"signature: {cp.File} has no signature line by {origin} to compare with");
        else if (!p.Signature.AsSpan().SequenceEqual(signature))
            Bad($"signature {ChainReceipts.Hex(p.Signature)} is not the ledger's signature line of {cp.File} ({ChainReceipts.Hex(signature)})");
        switch (previous)
        {
            case (true, null) when !p.PreviousRoot.All(b => b == 0):
                Bad($"previousRoot {ChainReceipts.Hex(p.PreviousRoot)} is not zero, but {cp.File} is the ledger's first checkpoint");
                break;
            case (true, { } before) when !p.PreviousRoot.AsSpan().SequenceEqual(before.Root):
                Bad($"previousRoot {ChainReceipts.Hex(p.PreviousRoot)} is not the root of the checkpoint before, {before.File} ({ChainReceipts.Hex(before.Root)})");
                break;
        }
        return previous.Known;
    }

    static void CheckFabric(BundleReceipt r, Checkpoint cp, (bool Known, Checkpoint? Checkpoint) previous, IReadOnlyDictionary<string, string>? mspRoots, List<string> problems)
    {
        if (!DateTimeOffset.TryParse(r.AnchoredAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            problems.Add($"{r.Where}: anchoredAt '{r.AnchoredAt}' is not a time");
            return;
        }
        var receipt = new AnchorReceipt(r.Anchor, r.TreeSize, r.TransactionReference, at, r.Proof.GetRawText());
        var checkpoint = new SignedCheckpoint(cp.Size, cp.Root, cp.Timestamp, cp.PreviousHash, cp.Note, cp.NoteHash);
        var previousRoot = previous switch { (true, null) => "", (true, { } before) => Convert.ToHexStringLower(before.Root), _ => null };
        IReadOnlyList<string> found;
        try { found = FabricReceiptCheck.Offline(receipt, checkpoint, previousRoot, mspRoots); }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            found = [$"not a Fabric receipt ({e.Message})"];
        }
        // FabricReceiptCheck names the receipt by anchor and size; here it is named by its place in the file.
        var prefix = $"{r.Anchor} receipt {r.TreeSize}: ";
        problems.AddRange(found.Select(f => $"{r.Where}: {(f.StartsWith(prefix, StringComparison.Ordinal) ? f[prefix.Length..] : f)}"));
    }
}
