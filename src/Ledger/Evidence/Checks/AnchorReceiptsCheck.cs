using System.Globalization;
using System.Text.Json;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// Every local anchor receipt of <c>anchors.json</c> is an entry of the anchor log, signed by the anchor key, that names a
/// checkpoint of the bundle (size, root, hash); the entries link to each other; the bundle's checkpoint is anchored.
/// Chain receipts are counted here and checked by <see cref="ChainReceiptsCheck"/>.
/// </summary>
static class AnchorReceiptsCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var entries = new List<(long Seq, long Size, byte[] Hash, byte[]? Previous, string Where)>();
        var anchorKey = bundle.Manifest.AnchorKey;
        var chainReceipts = 0;
        if (bundle.Anchors.Error is { } error) failures.Add(NotAReceiptList(error));
        else
        {
            try { ReadLocalReceipts(bundle, failures, entries, ref chainReceipts); }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
            {
                failures.Add(NotAReceiptList(e.Message));
            }
        }
        entries.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        for (var i = 1; i < entries.Count; i++)
        {
            var (prev, e) = (entries[i - 1], entries[i]);
            if (e.Seq == prev.Seq) failures.Add($"{e.Where}: entry {e.Seq} appears twice");
            else if (e.Size <= prev.Size) failures.Add($"{e.Where}: entry {e.Seq} anchors a smaller checkpoint than entry {prev.Seq}");
            else if (e.Seq == prev.Seq + 1 && (e.Previous is null || !e.Previous.AsSpan().SequenceEqual(prev.Hash))) failures.Add($"{e.Where}: entry {e.Seq} does not link to entry {prev.Seq}");
        }
        if (!entries.Any(e => e.Size == bundle.Manifest.TreeSize && bundle.Checkpoints[e.Size].Valid)) failures.Add($"{bundle.Manifest.CheckpointFile}: no verified local anchor receipt for the bundle's checkpoint");
        return VerificationCheck.From("anchor receipts", failures,
            $"{entries.Count} local anchor entries signed by {anchorKey.Name} name the bundle's checkpoints" + (chainReceipts > 0 ? $"; {chainReceipts} chain receipts are checked under \"chain receipts\"" : ""));
    }

    static string NotAReceiptList(string why) => $"{BundleFormat.Anchors}: not a receipt list ({why})";

    /// <summary>Reads the receipts in file order; a receipt that cannot be read throws, ending the list there.</summary>
    static void ReadLocalReceipts(ParsedBundle bundle, List<string> failures, List<(long Seq, long Size, byte[] Hash, byte[]? Previous, string Where)> entries,
        ref int chainReceipts)
    {
        var anchorKey = bundle.Manifest.AnchorKey;
        var i = 0;
        foreach (var r in bundle.Anchors.Value.GetProperty("receipts").EnumerateArray())
        {
            i++;
            var anchor = r.GetProperty("anchor").GetString();
            var size = r.GetProperty("treeSize").GetInt64();
            var where = $"{BundleFormat.Anchors} receipt {i} ({anchor}, checkpoint {size})";
            if (!bundle.Checkpoints.TryGetValue(size, out var cp)) { failures.Add($"{where}: checkpoint {size} is not in the bundle"); continue; }
            if (anchor != LocalAnchorLog.AnchorName)
            {
                chainReceipts++;
                continue;
            }
            var proof = r.GetProperty("proof");
            var seq = proof.GetProperty("seq").GetInt64();
            var note = proof.GetProperty("note").GetString() ?? "";
            var entryHash = Convert.FromHexString(proof.GetProperty("entryHash").GetString() ?? "");
            var prevElement = proof.GetProperty("previousEntryHash");
            var previous = prevElement.ValueKind == JsonValueKind.Null ? null : Convert.FromHexString(prevElement.GetString()!);
            var at = DateTimeOffset.Parse(r.GetProperty("anchoredAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var problem = (string?)null;
            if (proof.GetProperty("verifierKey").GetString() != anchorKey.VerifierKey) problem = $"signed by {proof.GetProperty("verifierKey").GetString()}, not the manifest's anchor key";
            else if (r.GetProperty("transactionReference").GetString() != $"local:{seq}") problem = $"transaction reference is not local:{seq}";
            else if (!CheckpointBody.NoteHash(note).AsSpan().SequenceEqual(entryHash)) problem = "the entry hash is not the SHA-256 of the entry";
            else if (SignedNote.Open(note, anchorKey) is { IsValid: false } v) problem = $"anchor log entry {seq}: {v.Message}";
            else if (note[..(note.LastIndexOf("\n\n", StringComparison.Ordinal) + 1)] != LocalAnchorLog.EntryText(anchorKey.Name, seq, size, cp.Root, cp.NoteHash, CheckpointBody.Truncate(at), previous))
                problem = $"anchor log entry {seq} does not name {cp.File} (its size, root and SHA-256) at {BundleFormat.Time(at)}";
            if (problem is not null) { failures.Add($"{where}: {problem}"); continue; }
            entries.Add((seq, size, entryHash, previous, where));
        }
    }
}
