using System.Text.Json.Serialization;

namespace AssetLedger.Ledger.Anchors;

/// <summary>
/// The receipt's proof: what a verifier needs to find and check the anchor on the channel later
/// (query block <c>blockNumber</c> or call <c>GetCheckpoint(treeSize)</c> on <c>chaincode</c> in <c>channel</c>), and
/// <c>envelope</c>: the signed transaction as ordered (base64 of <c>common.Envelope</c>), holding the endorsing peers'
/// signed proposal responses, so that a verifier checks offline who endorsed it (<see cref="FabricEnvelopeCheck"/>).
/// </summary>
public sealed record FabricAnchorProof(
    [property: JsonPropertyName("network")] string Network,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("chaincode")] string Chaincode,
    [property: JsonPropertyName("function")] string Function,
    [property: JsonPropertyName("transactionId")] string TransactionId,
    [property: JsonPropertyName("blockNumber")] ulong BlockNumber,
    [property: JsonPropertyName("validationCode")] string ValidationCode,
    [property: JsonPropertyName("mspId")] string MspId,
    [property: JsonPropertyName("treeSize")] long TreeSize,
    [property: JsonPropertyName("root")] string Root,
    [property: JsonPropertyName("prev")] string Prev,
    [property: JsonPropertyName("sig")] string Sig,
    [property: JsonPropertyName("envelope")] string? Envelope = null)
{
    /// <summary>The chaincode function that anchors a checkpoint.</summary>
    public const string AnchorFunction = "AnchorCheckpoint";

    /// <summary>The name of a configured Fabric anchor target.</summary>
    public static string AnchorName(string channel, string chaincode) => $"fabric:{channel}/{chaincode}";

    /// <summary>The base64 blob of the note's first signature line (the ledger key's): key id ‖ signature.</summary>
    public static string LedgerSignature(string signedNote)
    {
        var split = signedNote.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) throw new FormatException("The checkpoint note has no signature.");
        var line = signedNote[(split + 2)..].Split('\n')[0];
        return line[(line.LastIndexOf(' ') + 1)..];
    }
}

