using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AssetLedger.Ledger.Checkpoints;

/// <summary>
/// A checkpoint body (C2SP tlog-checkpoint): origin, tree size, base64 root, then two extension lines,
/// <c>timestamp &lt;UTC, yyyy-MM-ddTHH:mm:ss.fffZ&gt;</c> and, except on the first checkpoint,
/// <c>previous &lt;base64 SHA-256 of the previous checkpoint's whole signed note&gt;</c>.
/// </summary>
public sealed record CheckpointBody(string Origin, long TreeSize, byte[] RootHash, DateTimeOffset Timestamp, byte[]? PreviousHash)
{
    const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(Origin).Append('\n');
        sb.Append(TreeSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(Convert.ToBase64String(RootHash)).Append('\n');
        sb.Append("timestamp ").Append(Timestamp.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)).Append('\n');
        if (PreviousHash is not null) sb.Append("previous ").Append(Convert.ToBase64String(PreviousHash)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Timestamps are kept to the millisecond, as the text carries them.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>Reads a body (the note text, without signatures); throws FormatException if malformed.</summary>
    public static CheckpointBody Parse(string text)
    {
        if (!text.EndsWith('\n')) throw new FormatException("A checkpoint body ends with a newline.");
        var lines = text[..^1].Split('\n');
        if (lines.Length < 4) throw new FormatException("A checkpoint has origin, size, root and a timestamp line.");
        if (lines[0].Length == 0) throw new FormatException("Empty origin.");
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || (lines[1].Length > 1 && lines[1][0] == '0'))
            throw new FormatException($"'{lines[1]}' is not a tree size.");
        var root = Convert.FromBase64String(lines[2]);
        if (root.Length != 32) throw new FormatException("The root hash is not 32 bytes.");
        if (!lines[3].StartsWith("timestamp ", StringComparison.Ordinal)
            || !DateTime.TryParseExact(lines[3]["timestamp ".Length..], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            throw new FormatException($"'{lines[3]}' is not a timestamp line.");
        byte[]? previous = null;
        if (lines.Length > 4)
        {
            if (!lines[4].StartsWith("previous ", StringComparison.Ordinal)) throw new FormatException($"'{lines[4]}' is not a previous line.");
            previous = Convert.FromBase64String(lines[4]["previous ".Length..]);
            if (previous.Length != 32) throw new FormatException("The previous checkpoint hash is not 32 bytes.");
        }
        if (lines.Length > 5) throw new FormatException("Unexpected extension lines.");
        return new CheckpointBody(lines[0], size, root, new DateTimeOffset(time, TimeSpan.Zero), previous);
    }

    /// <summary>A checkpoint's hash: SHA-256 over the UTF-8 of its whole signed note.</summary>
    public static byte[] NoteHash(string signedNote) => SHA256.HashData(Encoding.UTF8.GetBytes(signedNote));
}

/// <summary>A stored checkpoint: its fields and the signed note they came from.</summary>
public sealed record SignedCheckpoint(long TreeSize, byte[] RootHash, DateTimeOffset Timestamp, byte[]? PreviousHash, string Note, byte[] NoteHash);
