using System.Buffers.Binary;
using System.Text;

namespace AssetLedger.Ledger.Notes;

/// <summary>The outcome of opening a signed note with a verifier: the text if a signature by that key verifies.</summary>
public sealed record NoteVerification(bool IsValid, string Message, string? Text = null);

/// <summary>
/// C2SP signed-note: the text (ending in a newline), a blank line, then one line per signature:
/// <c>— name base64(key id (4 bytes, big-endian) ‖ signature)</c>. The signature covers the text's UTF-8 bytes.
/// </summary>
public static class SignedNote
{
    const string Dash = "\u2014 ";

    public static string Sign(string text, NoteSigner signer)
    {
        ValidateText(text);
        var signature = signer.Sign(Encoding.UTF8.GetBytes(text));
        var blob = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, signer.KeyId);
        signature.CopyTo(blob, 4);
        return $"{text}\n{Dash}{signer.Name} {Convert.ToBase64String(blob)}\n";
    }

    /// <summary>
    /// Verifies <paramref name="note"/> against one trusted key: valid only if a signature line by that name
    /// and key id verifies; signatures by other keys are ignored, as the spec requires.
    /// </summary>
    public static NoteVerification Open(string note, NoteVerifier verifier)
    {
        if (!note.EndsWith('\n')) return Fail("a signed note ends with a newline");
        if (note.Any(c => c < 0x20 && c != '\n')) return Fail("a signed note has no control characters but newlines");
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) return Fail("no blank line separates text and signatures");
        var text = note[..(split + 1)];
        var lines = note[(split + 2)..].Split('\n');
        if (lines.Length < 2 || lines[^1] != "") return Fail("no signature lines");

        var sawKnown = false;
        foreach (var line in lines[..^1])
        {
            if (!line.StartsWith(Dash, StringComparison.Ordinal)) return Fail($"malformed signature line '{line}'");
            var space = line.LastIndexOf(' ');
            var name = line[Dash.Length..space];
            byte[] blob;
            try { blob = Convert.FromBase64String(line[(space + 1)..]); }
            catch (FormatException) { return Fail("a signature is not base64"); }
            if (blob.Length < 5 || name.Length == 0) return Fail("malformed signature");
            if (name != verifier.Name || BinaryPrimitives.ReadUInt32BigEndian(blob) != verifier.KeyId) continue;
            sawKnown = true;
            if (!verifier.Verify(Encoding.UTF8.GetBytes(text), blob.AsSpan(4)))
                return Fail($"the signature by {verifier.Name} does not verify");
        }
        return sawKnown ? new NoteVerification(true, "valid", text) : Fail($"no signature by {verifier.VerifierKey}");
    }

    static NoteVerification Fail(string message) => new(false, message);

    static void ValidateText(string text)
    {
        if (!text.EndsWith('\n')) throw new ArgumentException("Note text must end with a newline.", nameof(text));
        if (text.Any(c => c < 0x20 && c != '\n')) throw new ArgumentException("Note text must not contain control characters other than newline.", nameof(text));
    }
}
