using System.Text.Json;
using AssetLedger.Ledger.Anchors;

namespace AssetLedger.Infrastructure.Ledger.Anchors.Fabric;

/// <summary>
/// The online half of <see cref="FabricReceiptCheck"/>: against the channel, that the chaincode holds the receipt's
/// checkpoint under its transaction, that the transaction committed VALID in its block, and that the transaction the
/// peer's ledger holds is the receipt's envelope byte for byte (read back from a peer of another organisation, this is
/// that organisation's own copy).
/// </summary>
public static class FabricChannelCheck
{
    /// <summary>Problems found on the channel: the chaincode's record of that size, and the transaction's commit.</summary>
    public static async Task<IReadOnlyList<string>> Online(AnchorReceipt receipt, IFabricContract contract, CancellationToken ct)
    {
        var proof = JsonSerializer.Deserialize<FabricAnchorProof>(receipt.ProofJson)!;
        var problems = new List<string>();
        void Expect(bool ok, string what) { if (!ok) problems.Add($"{receipt.Anchor} receipt {receipt.TreeSize} on the channel: {what}"); }
        var held = JsonSerializer.Deserialize<FabricAnchor.HeldCheckpoint>(
            await contract.Evaluate("GetCheckpoint", [receipt.TreeSize.ToString(System.Globalization.CultureInfo.InvariantCulture)], ct),
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        Expect(held is not null, "no checkpoint of that size");
        if (held is null) return problems;
        Expect(held.Root == proof.Root, $"root {held.Root}, the receipt says {proof.Root}");
        Expect(held.Prev == proof.Prev, "another previous root");
        Expect(held.Sig == proof.Sig, "another signature");
        Expect(held.TxId == proof.TransactionId, $"anchored by transaction {held.TxId}, the receipt says {proof.TransactionId}");
        var commit = await contract.CommitStatus(proof.TransactionId, ct);
        Expect(commit.IsValid, $"the transaction committed as {commit.ValidationCodeName}");
        Expect(commit.BlockNumber == proof.BlockNumber, $"the transaction is in block {commit.BlockNumber}, the receipt says {proof.BlockNumber}");
        if (proof.Envelope is not null)
            Expect(Convert.ToBase64String(await contract.TransactionEnvelope(proof.TransactionId, ct)) == proof.Envelope,
                "the ledger holds another envelope (endorsements, signatures) for the transaction than the receipt");
        return problems;
    }
}
