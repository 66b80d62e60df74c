using System.Globalization;
using System.Text;

namespace AssetLedger.Ledger.Anchors;

/// <summary>
/// The text of an entry of the local anchor log, which the anchor key signs and a verifier rebuilds:
/// <code>
/// &lt;anchor origin&gt;
/// entry &lt;seq&gt;
/// checkpoint &lt;tree size&gt; &lt;base64 root&gt; &lt;base64 checkpoint note hash&gt;
/// timestamp &lt;UTC ms&gt;
/// previous &lt;base64 SHA-256 of the previous entry's signed note&gt;   (absent on entry 1)
/// </code>
/// </summary>
public static class LocalAnchorLog
{
    /// <summary>The local anchor's name in receipts.</summary>
    public const string AnchorName = "local";

    public static string EntryText(string origin, long seq, long treeSize, byte[] root, byte[] checkpointHash, DateTimeOffset at, byte[]? previousEntryHash)
    {
        var sb = new StringBuilder();
        sb.Append(origin).Append('\n');
        sb.Append("entry ").Append(seq.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("checkpoint ").Append(treeSize.ToString(CultureInfo.InvariantCulture)).Append(' ')
          .Append(Convert.ToBase64String(root)).Append(' ').Append(Convert.ToBase64String(checkpointHash)).Append('\n');
        sb.Append("timestamp ").Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append('\n');
        if (previousEntryHash is not null) sb.Append("previous ").Append(Convert.ToBase64String(previousEntryHash)).Append('\n');
        return sb.ToString();
    }
}
