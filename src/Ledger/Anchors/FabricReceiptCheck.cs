using System.Text.Json;
using System.Text.RegularExpressions;
using AssetLedger.Ledger.Checkpoints;

namespace AssetLedger.Ledger.Anchors;

/// <summary>
/// The offline check of a Fabric anchor receipt for a verifier (the evidence bundle's <c>anchors.json</c>): that the
/// receipt is well formed and names exactly the checkpoint it claims (size, root, the ledger's signature, the previous
/// root when the previous checkpoint is known). Asking the channel is the online check's business (Infrastructure).
/// </summary>
public static partial class FabricReceiptCheck
{
    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Hex64();

    /// <summary>Problems found without the network (empty: the receipt holds).</summary>
    /// <param name="previousRootHex">The root of the checkpoint before, "" if this is the first, null if unknown.</param>
    /// <param name="mspRoots">MSP id → root certificate PEM, pinned by the verifier: the organisations that must have endorsed it.</param>
    public static IReadOnlyList<string> Offline(AnchorReceipt receipt, SignedCheckpoint checkpoint, string? previousRootHex,
        IReadOnlyDictionary<string, string>? mspRoots = null)
    {
        var problems = new List<string>();
        FabricAnchorProof? proof;
        try
        {
            proof = JsonSerializer.Deserialize<FabricAnchorProof>(receipt.ProofJson);
        }
        catch (JsonException ex)
        {
            return [$"{receipt.Anchor} receipt {receipt.TreeSize}: the proof is not a Fabric proof ({ex.Message})"];
        }
        if (proof is null) return [$"{receipt.Anchor} receipt {receipt.TreeSize}: no proof"];
        void Expect(bool ok, string what) { if (!ok) problems.Add($"{receipt.Anchor} receipt {receipt.TreeSize}: {what}"); }
        Expect(proof.Network == "fabric", "network is not fabric");
        Expect(!string.IsNullOrEmpty(proof.Channel) && !string.IsNullOrEmpty(proof.Chaincode), "no channel and chaincode");
        // A configured target is named fabric:<channel>/<chaincode>; a managed target has the name of its record (not fabric:…).
        Expect(!receipt.Anchor.StartsWith("fabric:", StringComparison.Ordinal) || receipt.Anchor == FabricAnchorProof.AnchorName(proof.Channel ?? "", proof.Chaincode ?? ""),
            "the anchor's name is not fabric:<channel>/<chaincode> of its proof");
        Expect(proof.Function == FabricAnchorProof.AnchorFunction, $"function is not {FabricAnchorProof.AnchorFunction}");
        Expect(proof.TransactionId is not null && Hex64().IsMatch(proof.TransactionId), "the transaction id is not 64 hex digits");
        Expect(proof.TransactionId == receipt.TransactionReference, "the transaction reference is not the proof's transaction id");
        Expect(proof.ValidationCode == "VALID", $"the transaction committed as {proof.ValidationCode}");
        Expect(!string.IsNullOrEmpty(proof.MspId), "no MSP id");
        Expect(proof.TreeSize == receipt.TreeSize && proof.TreeSize == checkpoint.TreeSize, $"it is for size {proof.TreeSize}, not {checkpoint.TreeSize}");
        Expect(proof.Root == Convert.ToHexStringLower(checkpoint.RootHash), "the anchored root is not the checkpoint's");
        Expect(proof.Sig == FabricAnchorProof.LedgerSignature(checkpoint.Note), "the anchored signature is not the checkpoint note's");
        if (previousRootHex is not null) Expect(proof.Prev == previousRootHex, "the anchored previous root is not the previous checkpoint's");
        mspRoots ??= new Dictionary<string, string>();
        if (proof.Envelope is not null)
            problems.AddRange(FabricEnvelopeCheck.Offline(proof, mspRoots).Select(p => $"{receipt.Anchor} receipt {receipt.TreeSize}: {p}"));
        else if (mspRoots.Count > 0)
            Expect(false, "the receipt carries no transaction envelope, so its endorsements cannot be checked against the pinned MSP roots");
        return problems;
    }
}
