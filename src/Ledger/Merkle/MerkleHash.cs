using System.Security.Cryptography;

namespace AssetLedger.Ledger.Merkle;

/// <summary>
/// RFC 9162 §2.1.1 hashing with SHA-256: a leaf is <c>SHA-256(0x00 ‖ data)</c>, an interior node
/// <c>SHA-256(0x01 ‖ left ‖ right)</c>, the empty tree <c>SHA-256("")</c>. The prefixes keep a leaf from
/// ever being mistaken for a node (second-preimage resistance). Our leaf data is an event's 32-byte hash.
/// </summary>
public static class MerkleHash
{
    public const int Size = 32;

    public static byte[] EmptyRoot { get; } = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        Leaf(data, hash);
        return hash;
    }

    public static void Leaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (data.Length <= 256)
        {
            Span<byte> buffer = stackalloc byte[data.Length + 1];
            buffer[0] = 0x00;
            data.CopyTo(buffer[1..]);
            SHA256.HashData(buffer, destination);
            return;
        }
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData([0x00]);
        h.AppendData(data);
        h.GetHashAndReset(destination);
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        Node(left, right, hash);
        return hash;
    }

    /// <remarks><paramref name="destination"/> may overlap either input: both are copied first.</remarks>
    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        if (left.Length != Size || right.Length != Size) throw new ArgumentException("Node children must be 32-byte hashes.");
        Span<byte> buffer = stackalloc byte[1 + 2 * Size];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        // One SHA-256 per thread, reset after each node: a proof hashes hundreds of 65-byte nodes, and the one-shot
        // SHA256.HashData sets up a new digest context for each (about a third more CPU per node).
        var sha = _nodeHash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(buffer);
        sha.GetHashAndReset(destination);
    }

    [ThreadStatic] static IncrementalHash? _nodeHash;
}
