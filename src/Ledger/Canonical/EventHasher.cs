using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AssetLedger.Ledger.Canonical;

/// <summary>
/// An event's hash: SHA-256 over the RFC 8785 canonical JSON of its envelope
/// <c>{data, eventId, metadata, previousHash, schemaVersion, streamId, type, version}</c>.
/// previousHash is the hex hash of the stream's previous event (null for the first), so each
/// stream is a hash chain. The global position and the recorded time are left out: they are
/// assigned by the store and proven by the Merkle log instead.
/// </summary>
public static class EventHasher
{
    /// <param name="canonicalData">JCS of the event's data.</param>
    /// <param name="canonicalMetadata">JCS of the event's metadata.</param>
    public static string CanonicalEnvelope(string canonicalData, Guid eventId, string canonicalMetadata, string? previousHash,
        int schemaVersion, string streamId, string type, long version)
    {
        // Members written in JCS order (sorted by UTF-16 code units): data, eventId, metadata, previousHash, schemaVersion, streamId, type, version.
        var sb = new StringBuilder(canonicalData.Length + canonicalMetadata.Length + 256);
        sb.Append("{\"data\":").Append(canonicalData);
        sb.Append(",\"eventId\":"); Jcs.WriteString(sb, eventId.ToString("D"));
        sb.Append(",\"metadata\":").Append(canonicalMetadata);
        sb.Append(",\"previousHash\":");
        if (previousHash is null) sb.Append("null"); else Jcs.WriteString(sb, previousHash);
        sb.Append(",\"schemaVersion\":").Append(schemaVersion.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"streamId\":"); Jcs.WriteString(sb, streamId);
        sb.Append(",\"type\":"); Jcs.WriteString(sb, type);
        sb.Append(",\"version\":").Append(version.ToString(CultureInfo.InvariantCulture));
        sb.Append('}');
        return sb.ToString();
    }

    public static byte[] Hash(string canonicalEnvelope) => SHA256.HashData(Encoding.UTF8.GetBytes(canonicalEnvelope));

    /// <summary>
    /// The same hash as <see cref="Hash(string)"/> of <see cref="CanonicalEnvelope"/>, written straight as UTF-8
    /// from canonical data and metadata that are UTF-8 already (<see cref="Jcs.CanonicalizeToUtf8"/>): the store
    /// hashes every event it writes, and building and encoding the envelope as a string was most of that cost.
    /// </summary>
    public static byte[] Hash(ReadOnlySpan<byte> canonicalData, Guid eventId, ReadOnlySpan<byte> canonicalMetadata, string? previousHash,
        int schemaVersion, string streamId, string type, long version)
    {
        var w = new ArrayBufferWriter<byte>(canonicalData.Length + canonicalMetadata.Length + 256);
        w.Write("{\"data\":"u8); w.Write(canonicalData);
        w.Write(",\"eventId\":\""u8); w.Advance(eventId.TryFormat(w.GetSpan(36), out var n, "D") ? n : throw new FormatException());
        w.Write("\",\"metadata\":"u8); w.Write(canonicalMetadata);
        w.Write(",\"previousHash\":"u8);
        if (previousHash is null) w.Write("null"u8); else Jcs.WriteString(w, previousHash);
        w.Write(",\"schemaVersion\":"u8); w.Advance(Utf8Formatter.TryFormat(schemaVersion, w.GetSpan(11), out n) ? n : throw new FormatException());
        w.Write(",\"streamId\":"u8); Jcs.WriteString(w, streamId);
        w.Write(",\"type\":"u8); Jcs.WriteString(w, type);
        w.Write(",\"version\":"u8); w.Advance(Utf8Formatter.TryFormat(version, w.GetSpan(20), out n) ? n : throw new FormatException());
        w.Write("}"u8);
        return SHA256.HashData(w.WrittenSpan);
    }

    public static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>Recomputes a stored event's hash from its JSON, as the integrity check and the verifier do.</summary>
    public static string Compute(string dataJson, Guid eventId, string metadataJson, string? previousHash, int schemaVersion, string streamId, string type, long version) =>
        Hex(Hash(CanonicalEnvelope(Jcs.Canonicalize(dataJson), eventId, Jcs.Canonicalize(metadataJson), previousHash, schemaVersion, streamId, type, version)));
}
