using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace AssetLedger.Ledger.Anchors;

/// <summary>EIP-55 mixed-case checksums of EVM addresses, so that an offline verifier needs no chain client.</summary>
public static class EvmAddress
{
    /// <summary>
    /// True if each letter of <paramref name="address"/> (0x and 40 hex digits) has the case its EIP-55 checksum asks for:
    /// upper case where the matching nibble of Keccak-256 of the lower-case hex is 8 or more, lower case elsewhere.
    /// </summary>
    public static bool HasValidChecksum(string address)
    {
        var hex = address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? address[2..] : address;
        var hash = Keccak256(Encoding.ASCII.GetBytes(hex.ToLowerInvariant()));
        for (var i = 0; i < hex.Length; i++)
        {
            var nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            var c = hex[i];
            if (nibble > 7 ? char.ToUpperInvariant(c) != c : char.ToLowerInvariant(c) != c) return false;
        }
        return true;
    }

    static byte[] Keccak256(byte[] data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data, 0, data.Length);
        var hash = new byte[32];
        digest.DoFinal(hash, 0);
        return hash;
    }
}
