using System.Globalization;
using System.Text;

namespace AssetLedger.Ledger.Witness;

/// <summary>
/// The body of C2SP tlog-witness <c>POST add-checkpoint</c>: <c>old &lt;size&gt;</c>, up to 63 base64 consistency proof
/// lines, an empty line, then the signed checkpoint note.
/// </summary>
public sealed record AddCheckpointRequest(long OldSize, IReadOnlyList<byte[]> Proof, string Note)
{
    public const int MaxProofLines = 63;

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append("old ").Append(OldSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var p in Proof) sb.Append(Convert.ToBase64String(p)).Append('\n');
        return sb.Append('\n').Append(Note).ToString();
    }

    /// <summary>Reads a body; throws FormatException (the witness answers 400) if it is not one.</summary>
    public static AddCheckpointRequest Parse(string body)
    {
        var blank = body.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0) throw new FormatException("no empty line after the old size and proof lines");
        var head = body[..blank].Split('\n');
        if (!head[0].StartsWith("old ", StringComparison.Ordinal)) throw new FormatException("the first line is not 'old <size>'");
        var size = head[0][4..];
        if (!long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var oldSize) || (size.Length > 1 && size[0] == '0'))
            throw new FormatException($"'{size}' is not a tree size");
        if (head.Length - 1 > MaxProofLines) throw new FormatException($"more than {MaxProofLines} consistency proof lines");
        var proof = new List<byte[]>();
        foreach (var line in head.Skip(1))
        {
            byte[] hash;
            try { hash = Convert.FromBase64String(line); }
            catch (FormatException) { throw new FormatException("a consistency proof line is not base64"); }
            if (hash.Length != 32) throw new FormatException("a consistency proof line is not a 32-byte hash");
            proof.Add(hash);
        }
        return new AddCheckpointRequest(oldSize, proof, body[(blank + 2)..]);
    }
}
