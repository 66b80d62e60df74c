using System.Globalization;
using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors.Fabric;

namespace AssetLedger.Infrastructure.Evidence;

public static partial class BundleVerifier
{
    sealed partial class Run
    {
        /// <summary>
        /// Every receipt of <c>anchors.json</c> that is not the local anchor's, offline: an EVM receipt's form and that it
        /// names its checkpoint (size, root, the ledger's signature line, the previous checkpoint's root); a Fabric
        /// receipt through <see cref="FabricReceiptCheck.Offline"/>; a receipt of any other kind is a failure.
        /// </summary>
        void CheckChainReceipts()
        {
            const string name = "chain receipts";
            var failures = new List<string>();
            List<BundleReceipt> receipts;
            try { receipts = ChainReceipts.Read(Text(BundleFormat.Anchors) ?? ""); }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                Add(name, [$"{BundleFormat.Anchors}: not a receipt list ({e.Message})"], "");
                return;
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
                if (!_checkpoints.TryGetValue(r.TreeSize, out var cp)) { failures.Add($"{r.Where}: checkpoint {r.TreeSize} is not in the bundle"); continue; }
                var previous = PreviousOf(cp);
                var problems = new List<string>();
                if (r.Kind == ReceiptKind.Evm)
                {
                    var proof = ChainReceipts.ReadEvm(r, problems);
                    if (proof is not null)
                    {
                        CheckEvm(r, proof, cp, previous, problems, ref previousUnknown);
                        if (!evmByAnchor.TryGetValue(r.Anchor, out var list)) evmByAnchor[r.Anchor] = list = [];
                        list.Add((r, proof));
                    }
                    if (problems.Count == 0) evm++;
                }
                else
                {
                    CheckFabric(r, cp, previous, problems);
                    if (problems.Count == 0) fabric++;
                }
                failures.AddRange(problems);
            }

            // One EVM anchor is one contract on one chain, which holds its checkpoints in order.
            foreach (var (anchor, list) in evmByAnchor)
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

            var chain = receipts.Count(r => r.Kind != ReceiptKind.Local);
            var summary = chain == 0 ? "no chain receipts in the bundle"
                : $"{evm} EVM and {fabric} Fabric receipts name the bundle's checkpoints (size, root, the ledger's signature)"
                  + (previousUnknown > 0 ? $"; the previous root of {previousUnknown} not checked (the checkpoint before is not in the bundle)" : "")
                  + "; checked against the chains only with --online";
            Add(name, failures, summary);
        }

        /// <summary>The checkpoint before <paramref name="cp"/>: (true, null) if it is the first; (true, the one in the bundle); (false, null) if not in the bundle.</summary>
        (bool Known, Checkpoint? Checkpoint) PreviousOf(Checkpoint cp)
        {
            if (cp.PreviousHash is null) return (true, null);
            var previous = _checkpoints.Values.FirstOrDefault(c => c.Size < cp.Size && c.NoteHash.AsSpan().SequenceEqual(cp.PreviousHash));
            return previous is null ? (false, null) : (true, previous);
        }

        void CheckEvm(BundleReceipt r, EvmReceiptProof p, Checkpoint cp, (bool Known, Checkpoint? Checkpoint) previous, List<string> problems, ref int previousUnknown)
        {
            void Bad(string what) => problems.Add($"{r.Where}: {what}");
            if (!p.Root.AsSpan().SequenceEqual(cp.Root)) Bad($"root {ChainReceipts.Hex(p.Root)} is not the root of {cp.File} ({ChainReceipts.Hex(cp.Root)})");
            var signature = ChainReceipts.LedgerSignature(cp.Note, _origin);
            if (signature is null) Bad($"signature: {cp.File} has no signature line by {_origin} to compare with");
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
                case (false, _):
                    previousUnknown++;
                    break;
            }
        }

        void CheckFabric(BundleReceipt r, Checkpoint cp, (bool Known, Checkpoint? Checkpoint) previous, List<string> problems)
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
            try { found = FabricReceiptCheck.Offline(receipt, checkpoint, previousRoot); }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
            {
                found = [$"not a Fabric receipt ({e.Message})"];
            }
            // FabricReceiptCheck names the receipt by anchor and size; here it is named by its place in the file.
            var prefix = $"{r.Anchor} receipt {r.TreeSize}: ";
            problems.AddRange(found.Select(f => $"{r.Where}: {(f.StartsWith(prefix, StringComparison.Ordinal) ? f[prefix.Length..] : f)}"));
        }
    }
}
