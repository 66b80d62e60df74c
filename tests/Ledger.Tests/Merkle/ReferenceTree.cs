using System.Security.Cryptography;

namespace AssetLedger.Ledger.Tests.Merkle;

/// <summary>
/// RFC 9162 §2.1 written out as the definitions read (MTH, PATH, PROOF/SUBPROOF over a list of leaves),
/// with no shared code with the implementation under test, as the naive reference to compare against.
/// </summary>
public sealed class ReferenceTree(IReadOnlyList<byte[]> leafData)
{
    readonly Dictionary<(int, int), byte[]> _memo = [];

    static byte[] H(byte prefix, params byte[][] parts) => SHA256.HashData([prefix, .. parts.SelectMany(p => p)]);

    static int K(int n) { var k = 1; while (k << 1 < n) k <<= 1; return k; }

    public byte[] Mth(int start, int n)
    {
        if (n == 0) return SHA256.HashData(Array.Empty<byte>());
        if (_memo.TryGetValue((start, n), out var m)) return m;
        var hash = n == 1 ? H(0x00, leafData[start]) : H(0x01, Mth(start, K(n)), Mth(start + K(n), n - K(n)));
        _memo[(start, n)] = hash;
        return hash;
    }

    public byte[] Root(int n) => Mth(0, n);

    public byte[] LeafHash(int i) => Mth(i, 1);

    public List<byte[]> Path(int m, int start, int n)
    {
        if (n == 1) return [];
        var k = K(n);
        return m < k ? [.. Path(m, start, k), Mth(start + k, n - k)] : [.. Path(m - k, start + k, n - k), Mth(start, k)];
    }

    public List<byte[]> Proof(int m, int n) => m == 0 || m == n ? [] : SubProof(m, 0, n, true);

    List<byte[]> SubProof(int m, int start, int n, bool b)
    {
        if (m == n) return b ? [] : [Mth(start, m)];
        var k = K(n);
        return m <= k ? [.. SubProof(m, start, k, b), Mth(start + k, n - k)] : [.. SubProof(m - k, start + k, n - k, false), Mth(start, k)];
    }

    public static byte[] EventHash(int i) => SHA256.HashData(BitConverter.GetBytes(i));
}
