using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AssetLedger.Ledger.Anchors;

namespace AssetLedger.Ledger.Evidence;

/// <summary>What kind of anchor wrote a receipt of <c>anchors.json</c>.</summary>
public enum ReceiptKind { Local, Evm, Fabric, Unknown }

/// <summary>One receipt of <c>anchors.json</c>, numbered from 1 in file order.</summary>
public sealed record BundleReceipt(int Index, string Anchor, long TreeSize, string TransactionReference, string AnchoredAt, JsonElement Proof, ReceiptKind Kind)
{
    /// <summary>How failures name the receipt: <c>anchors.json receipt 3 (evm:31337, checkpoint 12)</c>.</summary>
    public string Where => $"{BundleFormat.Anchors} receipt {Index} ({Anchor}, checkpoint {TreeSize})";
}

/// <summary>The proof of an EVM anchor receipt (docs/chains.md "Receipts"), every field read and of the right form.</summary>
public sealed record EvmReceiptProof(
    long ChainId, string ContractAddress, long BlockNumber, string BlockHash, string TransactionHash, long LogIndex,
    long TreeSize, byte[] Root, byte[] PreviousRoot, byte[] Signature);

/// <summary>Reading the chain receipts of an evidence bundle, shared by the offline verifier and the online check (Infrastructure).</summary>
public static partial class ChainReceipts
{
    /// <summary>Bytes of the ledger's signature line carried on chain: 4-byte key id ‖ 64-byte Ed25519 signature.</summary>
    public const int SignatureBytes = 68;

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex Address();

    [GeneratedRegex("^evm:([0-9]+)$")]
    private static partial Regex DefaultEvmName();

    /// <summary>Every receipt of <c>anchors.json</c>; throws (JsonException, KeyNotFoundException, InvalidOperationException) if it is not a receipt list.</summary>
    public static List<BundleReceipt> Read(string anchorsJson)
    {
        using var doc = JsonDocument.Parse(anchorsJson);
        return Read(doc.RootElement);
    }

    /// <summary>Every receipt of the parsed <c>anchors.json</c>; throws (KeyNotFoundException, InvalidOperationException) if it is not a receipt list.</summary>
    public static List<BundleReceipt> Read(JsonElement anchors)
    {
        var list = new List<BundleReceipt>();
        var i = 0;
        foreach (var r in anchors.GetProperty("receipts").EnumerateArray())
        {
            i++;
            var anchor = r.GetProperty("anchor").GetString() ?? "";
            var proof = r.GetProperty("proof").Clone();
            list.Add(new BundleReceipt(i, anchor, r.GetProperty("treeSize").GetInt64(), r.GetProperty("transactionReference").GetString() ?? "",
                r.TryGetProperty("anchoredAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString()! : "", proof, KindOf(anchor, proof)));
        }
        return list;
    }

    /// <summary>
    /// <c>local</c> by its name; EVM when the proof says <c>"chain":"evm"</c> or the name is <c>evm:…</c>; Fabric when the
    /// proof says <c>"network":"fabric"</c> or the name is <c>fabric:…</c>; anything else is unknown (and fails the check).
    /// </summary>
    public static ReceiptKind KindOf(string anchor, JsonElement proof)
    {
        if (anchor == LocalAnchorLog.AnchorName) return ReceiptKind.Local;
        var isObject = proof.ValueKind == JsonValueKind.Object;
        if ((isObject && Str(proof, "chain") == "evm") || anchor.StartsWith("evm:", StringComparison.Ordinal)) return ReceiptKind.Evm;
        if ((isObject && Str(proof, "network") == "fabric") || anchor.StartsWith("fabric:", StringComparison.Ordinal)) return ReceiptKind.Fabric;
        return ReceiptKind.Unknown;
    }

    /// <summary>
    /// Reads an EVM receipt's proof and checks the form of each field, adding one problem per bad field (naming the
    /// receipt and the field) to <paramref name="problems"/>. Null when a field cannot be read at all.
    /// </summary>
    public static EvmReceiptProof? ReadEvm(BundleReceipt r, List<string> problems)
    {
        var p = r.Proof;
        void Bad(string what) => problems.Add($"{r.Where}: {what}");
        if (p.ValueKind != JsonValueKind.Object) { Bad("proof is not a JSON object"); return null; }

        if (Str(p, "chain") != "evm") Bad($"chain is {Show(p, "chain")}, not \"evm\"");
        var chainId = Integer(p, "chainId", r, problems);
        if (chainId is <= 0) Bad($"chainId {chainId} is not a chain id (> 0)");
        if (chainId is { } id && DefaultEvmName().Match(r.Anchor) is { Success: true } m && m.Groups[1].Value != id.ToString(CultureInfo.InvariantCulture))
            Bad($"chainId {id} is not the chain of the anchor's name {r.Anchor}");
        var contract = Str(p, "contractAddress");
        if (contract is null || !Address().IsMatch(contract)) { Bad($"contractAddress {Show(p, "contractAddress")} is not a 0x-prefixed 20-byte address"); contract = null; }
        else if (contract[2..].Any(char.IsUpper) && contract[2..].Any(char.IsLower) && !EvmAddress.HasValidChecksum(contract))
            Bad($"contractAddress {contract} does not match its EIP-55 checksum (a changed digit)");
        var block = Integer(p, "blockNumber", r, problems);
        if (block is <= 0) Bad($"blockNumber {block} is not a block that can hold a transaction (> 0)");
        var blockHash = HexString(p, "blockHash", 32, r, problems);
        var txHash = HexString(p, "transactionHash", 32, r, problems);
        if (txHash is not null && txHash != r.TransactionReference) Bad($"transactionReference {r.TransactionReference} is not the proof's transactionHash {txHash}");
        var logIndex = Integer(p, "logIndex", r, problems);
        if (logIndex is < 0) Bad($"logIndex {logIndex} is negative");
        var size = Integer(p, "treeSize", r, problems);
        if (size is { } s && s != r.TreeSize) Bad($"treeSize {s} in the proof is not the receipt's tree size {r.TreeSize}");
        var root = Bytes(p, "root", 32, r, problems);
        var previous = Bytes(p, "previousRoot", 32, r, problems);
        var signature = Bytes(p, "signature", SignatureBytes, r, problems);

        return chainId is null || contract is null || block is null || blockHash is null || txHash is null || logIndex is null || size is null
            || root is null || previous is null || signature is null
            ? null
            : new EvmReceiptProof(chainId.Value, contract, block.Value, blockHash, txHash, logIndex.Value, size.Value, root, previous, signature);
    }

    /// <summary>The ledger's signature line of a signed checkpoint note (<c>— &lt;origin&gt; base64</c>) as bytes; null if there is none.</summary>
    public static byte[]? LedgerSignature(string signedNote, string origin)
    {
        var split = signedNote.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) return null;
        var prefix = $"\u2014 {origin} ";
        foreach (var line in signedNote[(split + 2)..].Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            try { return Convert.FromBase64String(line[prefix.Length..]); }
            catch (FormatException) { return null; }
        }
        return null;
    }

    public static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    static string? Str(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static string Show(JsonElement o, string name) => o.TryGetProperty(name, out var v) ? v.GetRawText() : "missing";

    static long? Integer(JsonElement p, string name, BundleReceipt r, List<string> problems)
    {
        if (p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n;
        problems.Add($"{r.Where}: {name} {Show(p, name)} is not an integer");
        return null;
    }

    static string? HexString(JsonElement p, string name, int bytes, BundleReceipt r, List<string> problems)
    {
        var s = Str(p, name);
        if (s is not null && s.Length == 2 + 2 * bytes && s.StartsWith("0x", StringComparison.Ordinal) && s[2..].All(Uri.IsHexDigit)) return s;
        problems.Add($"{r.Where}: {name} {Show(p, name)} is not 0x and {bytes} bytes of hex");
        return null;
    }

    static byte[]? Bytes(JsonElement p, string name, int bytes, BundleReceipt r, List<string> problems) =>
        HexString(p, name, bytes, r, problems) is { } s ? Convert.FromHexString(s.AsSpan(2)) : null;
}
