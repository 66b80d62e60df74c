using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AssetLedger.Infrastructure.Canonical;

namespace AssetLedger.Infrastructure.EventStore;

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

    public static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>Recomputes a stored event's hash from its JSON, as the integrity check and the verifier do.</summary>
    public static string Compute(string dataJson, Guid eventId, string metadataJson, string? previousHash, int schemaVersion, string streamId, string type, long version) =>
        Hex(Hash(CanonicalEnvelope(Jcs.Canonicalize(dataJson), eventId, Jcs.Canonicalize(metadataJson), previousHash, schemaVersion, streamId, type, version)));
}
