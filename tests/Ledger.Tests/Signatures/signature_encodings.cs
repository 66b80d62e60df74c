using System.Security.Cryptography;
using System.Text;
using AssetLedger.Ledger.Signatures;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Math;

namespace AssetLedger.Ledger.Tests.Signatures;

/// <summary>
/// The encoding rule of command signatures (docs/evidence-bundle.md §4): 64 bytes is r‖s, any other length DER.
/// A value that both readings accept would let one signature mean two things, so the verifier reads it one way only.
/// </summary>
public sealed class signature_encodings
{
    static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"body\":{},\"idempotencyKey\":\"k-1\",\"method\":\"POST\",\"path\":\"/api/v1/assets\"}");

    [Fact]
    public void a_64_byte_signature_is_read_as_r_s_and_any_other_as_der()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rs = key.SignData(Payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var der = key.SignData(Payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.Equal(64, rs.Length);
        Assert.NotEqual(64, der.Length);
        Assert.True(CommandSignature.Verify(key, Payload, rs));
        Assert.True(CommandSignature.Verify(key, Payload, der));
    }

    [Fact]
    public void a_64_byte_der_signature_is_not_accepted_as_der()
    {
        // r and s of 29 bytes each make a DER sequence of exactly 64 bytes: 30 3e, 02 1d r, 02 1d s.
        var (key, der) = SixtyFourByteDerSignature(Payload);
        using (key)
        {
            Assert.Equal(64, der.Length);
            // It is a valid DER signature of the payload by this key: only the encoding rule refuses it.
            Assert.True(key.VerifyData(Payload, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
            Assert.False(CommandSignature.Verify(key, Payload, der));
            Assert.Equal(DSASignatureFormat.IeeeP1363FixedFieldConcatenation, CommandSignature.EncodingOf(der));
        }
    }

    /// <summary>
    /// Picks a short r (the x of a curve point R) and a short s, and derives the one public key Q = r⁻¹(sR − eG) under
    /// which (r, s) verifies for the payload's hash e: a key and a DER signature of 64 bytes, without a private key.
    /// </summary>
    static (ECDsa Key, byte[] Der) SixtyFourByteDerSignature(byte[] payload)
    {
        var curve = NistNamedCurves.GetByName("P-256");
        var n = curve.N;
        var e = new BigInteger(1, SHA256.HashData(payload));
        var random = new Random(13);
        while (true)
        {
            var rBytes = Positive29(random);
            Org.BouncyCastle.Math.EC.ECPoint point;
            try { point = curve.Curve.DecodePoint([0x02, 0, 0, 0, .. rBytes]); }
            catch (ArgumentException) { continue; }
            var r = new BigInteger(1, rBytes);
            var sBytes = Positive29(random);
            var s = new BigInteger(1, sBytes);
            var q = point.Multiply(s).Subtract(curve.G.Multiply(e.Mod(n))).Multiply(r.ModInverse(n)).Normalize();
            var key = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = q.AffineXCoord.GetEncoded(), Y = q.AffineYCoord.GetEncoded() },
            });
            return (key, [0x30, 0x3e, 0x02, 0x1d, .. rBytes, 0x02, 0x1d, .. sBytes]);
        }
    }

    /// <summary>29 bytes whose first is 0x01–0x7f: a minimal positive DER integer of exactly 29 bytes.</summary>
    static byte[] Positive29(Random random)
    {
        var b = new byte[29];
        random.NextBytes(b);
        b[0] = (byte)(1 + b[0] % 0x7f);
        return b;
    }
}
