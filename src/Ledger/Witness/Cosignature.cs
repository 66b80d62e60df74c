using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AssetLedger.Ledger.Witness;

/// <summary>The outcome of checking one cosignature line: valid, with the time the witness signed at, or why not.</summary>
public sealed record CosignatureCheck(bool IsValid, string Message, DateTimeOffset? Time = null);

/// <summary>
/// C2SP tlog-cosignature/v1 (Ed25519): a signed-note signature line <c>— name base64(key id ‖ u64 timestamp ‖ signature)</c>
/// whose signature covers <c>cosignature/v1\ntime &lt;timestamp&gt;\n</c> followed by the whole checkpoint body
/// (extension lines included, signatures not). It states that, at that time, this was the largest tree the witness had
/// seen of the log that is consistent with every earlier one.
/// </summary>
public static class Cosignature
{
    const string Dash = "\u2014 ";

    public static string Sign(string checkpointText, Cosigner cosigner, DateTimeOffset at)
    {
        var seconds = (ulong)at.ToUnixTimeSeconds();
        var blob = new byte[4 + 8 + 64];
        BinaryPrimitives.WriteUInt32BigEndian(blob, cosigner.Key.KeyId);
        BinaryPrimitives.WriteUInt64BigEndian(blob.AsSpan(4), seconds);
        cosigner.Sign(Message(checkpointText, seconds)).CopyTo(blob, 12);
        return $"{Dash}{cosigner.Name} {Convert.ToBase64String(blob)}\n";
    }

    /// <summary>Checks one line (with or without its newline) by <paramref name="key"/> over <paramref name="checkpointText"/>.</summary>
    public static CosignatureCheck Verify(string checkpointText, string line, CosignerKey key)
    {
        line = line.TrimEnd('\n');
        if (!line.StartsWith(Dash, StringComparison.Ordinal)) return Fail("not a signature line");
        var space = line.LastIndexOf(' ');
        if (space <= Dash.Length) return Fail("not a signature line");
        if (line[Dash.Length..space] != key.Name) return Fail($"signed by {line[Dash.Length..space]}, not {key.Name}");
        byte[] blob;
        try { blob = Convert.FromBase64String(line[(space + 1)..]); }
        catch (FormatException) { return Fail("the signature is not base64"); }
        if (blob.Length != 76) return Fail("not an Ed25519 cosignature (4-byte key id, 8-byte time, 64-byte signature)");
        if (BinaryPrimitives.ReadUInt32BigEndian(blob) != key.KeyId) return Fail($"key id is not that of {key.VerifierKey}");
        var seconds = BinaryPrimitives.ReadUInt64BigEndian(blob.AsSpan(4));
        if (seconds > long.MaxValue / 2) return Fail("the time is out of range");
        return key.Verify(Message(checkpointText, seconds), blob.AsSpan(12))
            ? new CosignatureCheck(true, "valid", DateTimeOffset.FromUnixTimeSeconds((long)seconds))
            : Fail($"the cosignature by {key.Name} does not verify");
    }

    /// <summary>The signature lines of a witness's answer: each starts with "— " and ends with a newline.</summary>
    public static IReadOnlyList<string> Lines(string response) =>
        response.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n").ToList();

    static byte[] Message(string checkpointText, ulong seconds) =>
        Encoding.UTF8.GetBytes($"cosignature/v1\ntime {seconds.ToString(CultureInfo.InvariantCulture)}\n{checkpointText}");

    static CosignatureCheck Fail(string message) => new(false, message);
}
