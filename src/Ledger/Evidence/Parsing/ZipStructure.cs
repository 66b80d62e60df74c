using System.Buffers.Binary;

namespace AssetLedger.Ledger.Evidence.Parsing;

/// <summary>
/// The bytes of a bundle's ZIP outside its files' data (docs/evidence-bundle.md §2): a ZIP reader forgives much there
/// (a central record that disagrees with its local header, a comment, a gap, an attribute), so a changed header byte
/// would leave the files, and so every other check, as they were. The archive must be laid out as the exporter writes
/// it: local entries back to back from byte 0, each with no data descriptor, encryption or extra field and its central
/// record repeating its fields exactly, then the central directory, then the end record with no comment, and nothing
/// else. Fields only the central record holds take the one value the exporter gives them.
/// </summary>
public static class ZipStructure
{
    const uint LocalSignature = 0x04034b50, CentralSignature = 0x02014b50, EndSignature = 0x06054b50;
    const int LocalSize = 30, CentralSize = 46, EndSize = 22;
    /// <summary>UTF-8 names (bit 11) and the deflate speed (bits 1–2) are the only general-purpose flags written.</summary>
    const ushort AllowedFlags = 0x0806;
    /// <summary>Made by .NET on Unix or on Windows, ZIP 2.0; a regular file rw-r--r-- (Unix) or no attributes (Windows).</summary>
    static readonly ushort[] MadeBy = [0x0314, 0x0014];
    static readonly uint[] Attributes = [0x81A4_0000, 0];

    /// <summary>What is wrong with the archive's layout; empty if it is as the exporter writes it.</summary>
    public static List<string> Problems(ReadOnlySpan<byte> zip)
    {
        var problems = new List<string>();
        var end = zip.Length - EndSize;
        if (end < 0 || U32(zip, end) != EndSignature)
        {
            problems.Add("the archive does not end with its end-of-central-directory record (a comment or bytes after it)");
            return problems;
        }
        int entries = U16(zip, end + 10), directorySize = (int)U32(zip, end + 12), directory = (int)U32(zip, end + 16);
        if (U16(zip, end + 4) != 0 || U16(zip, end + 6) != 0 || U16(zip, end + 8) != entries || U16(zip, end + 20) != 0)
            problems.Add("the end-of-central-directory record is not that of a single-disk archive without a comment");
        if ((long)directory + directorySize != end) problems.Add($"the central directory (bytes {directory}–{(long)directory + directorySize}) does not end where the end record begins ({end})");
        var (local, central) = (0, directory);
        for (var i = 0; i < entries && problems.Count == 0; i++)
        {
            if (central < 0 || central + CentralSize > end || U32(zip, central) != CentralSignature) { problems.Add($"central record {i + 1} is not at byte {central}"); break; }
            var nameLength = U16(zip, central + 28);
            if (central + CentralSize + nameLength > end) { problems.Add($"central record {i + 1} runs past the central directory"); break; }
            var where = $"entry {i + 1} ({System.Text.Encoding.UTF8.GetString(zip.Slice(central + CentralSize, nameLength))})";
            if (U32(zip, central + 42) != local) problems.Add($"{where}: its central record places its local header at byte {U32(zip, central + 42)}, not {local} where it is");
            if (local + LocalSize > directory || U32(zip, local) != LocalSignature) { problems.Add($"{where}: no local header at byte {local}"); break; }
            // Local header fields from version needed to the name's length, then the extra field's length, against the central record's.
            if (!zip.Slice(local + 4, 22).SequenceEqual(zip.Slice(central + 6, 22)) || U16(zip, local + 26) != nameLength || U16(zip, local + 28) != 0 || U16(zip, central + 30) != 0)
                problems.Add($"{where}: its local header and central record disagree, or carry an extra field");
            var flags = U16(zip, local + 6);
            var method = U16(zip, local + 8);
            long compressed = U32(zip, local + 18), size = U32(zip, local + 22);
            if ((flags & ~AllowedFlags) != 0) problems.Add($"{where}: general-purpose flags {flags:x4} (a data descriptor, encryption or another option the exporter never writes)");
            if (method is not (0 or 8) || (method == 0 && compressed != size)) problems.Add($"{where}: compression method {method} with {compressed} of {size} bytes");
            if (!MadeBy.Contains(U16(zip, central + 4)) || U16(zip, central + 32) != 0 || U16(zip, central + 34) != 0 || U16(zip, central + 36) != 0
                || !Attributes.Contains(U32(zip, central + 38)))
                problems.Add($"{where}: its central record's version, comment, disk or attributes are not as written");
            var name = LocalSize + nameLength;
            if (local + name > directory || !zip.Slice(local + LocalSize, nameLength).SequenceEqual(zip.Slice(central + CentralSize, nameLength)))
                problems.Add($"{where}: its local header names another file");
            local += (int)Math.Min(int.MaxValue - local, name + compressed);
            central += CentralSize + nameLength;
        }
        if (problems.Count == 0 && local != directory) problems.Add($"bytes {local}–{directory} lie between the last file and the central directory");
        if (problems.Count == 0 && central != end) problems.Add($"the central directory holds more than its {entries} records");
        return problems;
    }

    /// <summary>The CRC-32 (ISO-HDLC, as ZIP uses) of <paramref name="data"/>.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB8_8320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    static ushort U16(ReadOnlySpan<byte> b, int at) => at >= 0 && at + 2 <= b.Length ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : (ushort)0xFFFF;
    static uint U32(ReadOnlySpan<byte> b, int at) => at >= 0 && at + 4 <= b.Length ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : 0xFFFF_FFFF;
}
