using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;

namespace AssetLedger.Infrastructure.Ledger.Anchors.Fabric;

/// <summary>
/// A Fabric client identity: the MSP id, the X.509 certificate (PEM, exactly as the MSP issued it) and its
/// ECDSA P-256 private key. Fabric's creator is the serialized <c>msp.SerializedIdentity{mspid, id_bytes = PEM}</c>;
/// signatures are ASN.1 DER ECDSA over SHA-256 with a low S (s ≤ n/2), as Fabric's MSP refuses a high S.
/// </summary>
public sealed class FabricIdentity : IDisposable
{
    // Order of the P-256 group.
    static readonly BigInteger N = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);
    static readonly BigInteger HalfN = N >> 1;

    readonly ECDsa _key;

    public FabricIdentity(string mspId, string certificatePem, ECDsa privateKey)
    {
        if (string.IsNullOrWhiteSpace(mspId)) throw new ArgumentException("An MSP id is required.", nameof(mspId));
        using var cert = X509Certificate2.CreateFromPem(certificatePem);
        using var certKey = cert.GetECDsaPublicKey() ?? throw new ArgumentException("The certificate has no ECDSA public key.", nameof(certificatePem));
        if (certKey.KeySize != 256 || privateKey.KeySize != 256) throw new ArgumentException("Fabric identities here are ECDSA P-256.");
        var a = certKey.ExportParameters(false).Q;
        var b = privateKey.ExportParameters(false).Q;
        if (!a.X!.AsSpan().SequenceEqual(b.X) || !a.Y!.AsSpan().SequenceEqual(b.Y))
            throw new ArgumentException("The private key does not belong to the certificate.");
        MspId = mspId;
        CertificatePem = certificatePem;
        _key = privateKey;
        Creator = new Msp.SerializedIdentity { Mspid = mspId, IdBytes = ByteString.CopyFromUtf8(certificatePem) }.ToByteArray();
    }

    public string MspId { get; }
    public string CertificatePem { get; }

    /// <summary>The serialized <c>msp.SerializedIdentity</c>: the signature header's creator and the commit-status identity.</summary>
    public byte[] Creator { get; }

    /// <summary>
    /// Loads the certificate and the PEM private key (PKCS#8 or SEC1) from files. Each path may also be a folder
    /// holding exactly one file, as in an MSP folder's <c>signcerts/</c> and <c>keystore/</c>.
    /// </summary>
    public static FabricIdentity FromFiles(string mspId, string certificatePath, string privateKeyPath)
    {
        var certPem = File.ReadAllText(SingleFile(certificatePath), Encoding.UTF8);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(SingleFile(privateKeyPath), Encoding.UTF8));
            return new FabricIdentity(mspId, certPem, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    static string SingleFile(string path)
    {
        if (!Directory.Exists(path)) return path;
        var files = Directory.GetFiles(path);
        return files.Length == 1 ? files[0] : throw new FileNotFoundException($"The folder {path} holds {files.Length} files; name the file.");
    }

    /// <summary>Signs SHA-256(<paramref name="message"/>): DER, low S.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => SignDigest(SHA256.HashData(message));

    public byte[] SignDigest(ReadOnlySpan<byte> digest) => LowSDer(_key.SignHash(digest.ToArray(), DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <summary>Turns an r‖s signature (32 + 32 bytes) into DER with s replaced by n − s when s &gt; n/2.</summary>
    public static byte[] LowSDer(ReadOnlySpan<byte> p1363)
    {
        if (p1363.Length != 64) throw new ArgumentException("A P-256 signature is 64 bytes r‖s.", nameof(p1363));
        var r = new BigInteger(p1363[..32], isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(p1363[32..], isUnsigned: true, isBigEndian: true);
        if (s > HalfN) s = N - s;
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(r);
            w.WriteInteger(s);
        }
        return w.Encode();
    }

    /// <summary>True if <paramref name="derSignature"/> is DER with s ≤ n/2.</summary>
    public static bool IsLowS(ReadOnlySpan<byte> derSignature)
    {
        var reader = new AsnReader(derSignature.ToArray(), AsnEncodingRules.DER);
        var seq = reader.ReadSequence();
        seq.ReadInteger();
        var s = seq.ReadInteger();
        return s > 0 && s <= HalfN;
    }

    /// <summary>Verifies a DER signature over SHA-256(<paramref name="message"/>) with the certificate's public key.</summary>
    public static bool Verify(string certificatePem, ReadOnlySpan<byte> message, ReadOnlySpan<byte> derSignature)
    {
        using var cert = X509Certificate2.CreateFromPem(certificatePem);
        using var key = cert.GetECDsaPublicKey()!;
        return key.VerifyData(message, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    public void Dispose() => _key.Dispose();
}
