using System.Security.Cryptography;

namespace AssetLedger.Ledger.Signatures;

/// <summary>
/// ES256 signatures of asset commands (ECDSA P-256 over SHA-256), as the API checks them on the way in and the offline
/// verifier checks them again from the events' metadata: the signature is r‖s if it is 64 bytes long, else DER, the key a
/// SubjectPublicKeyInfo, and the key id the first 16 hex digits of SHA-256 of that SubjectPublicKeyInfo.
/// </summary>
public static class CommandSignature
{
    public const string Algorithm = "ES256";

    /// <summary>The one encoding rule: exactly 64 bytes is IEEE P1363 r‖s, any other length DER (RFC 3279).</summary>
    public static DSASignatureFormat EncodingOf(byte[] signature) =>
        signature.Length == 64 ? DSASignatureFormat.IeeeP1363FixedFieldConcatenation : DSASignatureFormat.Rfc3279DerSequence;

    // Never both: a 64-byte value that also parses as DER is read as r‖s only, so one signature has one meaning.
    public static bool Verify(ECDsa key, byte[] data, byte[] signature) =>
        key.VerifyData(data, signature, HashAlgorithmName.SHA256, EncodingOf(signature));

    /// <summary>Verifies with a base64 SubjectPublicKeyInfo; false (never an exception) for a malformed key or signature.</summary>
    public static bool Verify(string publicKeySpki, byte[] data, byte[] signature)
    {
        using var key = ImportSpki(publicKeySpki);
        return key is not null && Verify(key, data, signature);
    }

    /// <summary>A P-256 key from base64 SubjectPublicKeyInfo, or null if it is not one.</summary>
    public static ECDsa? ImportSpki(string publicKeySpki)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKeySpki), out _);
            if (key.KeySize == 256 && key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value) return key;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException) { }
        key.Dispose();
        return null;
    }

    /// <summary>First 16 hex digits of SHA-256 of the key's SubjectPublicKeyInfo.</summary>
    public static string KeyIdOf(ECDsa key) => KeyIdOf(key.ExportSubjectPublicKeyInfo());

    public static string KeyIdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];
}
