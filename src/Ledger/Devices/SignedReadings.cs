using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;

namespace AssetLedger.Ledger.Devices;

/// <summary>
/// A device reading on the wire: a COSE_Sign1 message (RFC 9052), ES256, the key's id (its SHA-256) in the protected
/// header, the payload embedded: a CBOR map {1: device id, 2: counter, 3: time (Unix ms), 4: asset (optional, id or
/// natural key), 5: measurements {text: value}}. The registry, a bank and a court's verifier all read it here.
/// </summary>
public static class SignedReadings
{
    const int Es256 = -7;

    /// <summary>Reads a message without checking its signature: the reading it claims, or why it cannot be read.</summary>
    public static (Reading? Reading, CoseSign1Message? Message, DomainError? Error) Open(string base64)
    {
        byte[] bytes;
        try { bytes = Convert.FromBase64String(base64); }
        catch (FormatException) { return Refused(ReadingErrors.Malformed("it is not base64")); }
        CoseSign1Message message;
        try { message = CoseMessage.DecodeSign1(bytes); }
        catch (CryptographicException e) { return Refused(ReadingErrors.Malformed($"it is not a COSE_Sign1 message ({e.Message})")); }
        if (message.Content is not { } content) return Refused(ReadingErrors.Detached);
        if (!message.ProtectedHeaders.TryGetValue(CoseHeaderLabel.Algorithm, out var alg) || !TryInt(alg, out var a) || a != Es256)
            return Refused(ReadingErrors.Algorithm);
        // The key id must be signed too: an unprotected one could be swapped without breaking the signature.
        if (!message.ProtectedHeaders.TryGetValue(CoseHeaderLabel.KeyIdentifier, out var kid)) return Refused(ReadingErrors.Malformed("its protected header names no key (kid)"));
        var keyId = Convert.ToHexStringLower(kid.GetValueAsBytes());
        try { return (Body(content.Span, keyId, base64), message, null); }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            return Refused(ReadingErrors.Malformed($"its body is not a reading ({e.Message})"));
        }
    }

    /// <summary>Whether the message's signature holds under the key (SubjectPublicKeyInfo, base64).</summary>
    public static bool Verify(CoseSign1Message message, string publicKeySpki)
    {
        using var key = KeyOf(publicKeySpki);
        return key is not null && Verify(message, key);
    }

    /// <summary>Whether the message's signature holds under <paramref name="key"/> (read once for many messages).</summary>
    public static bool Verify(CoseSign1Message message, ECDsa key)
    {
        try { return message.VerifyEmbedded(key); }
        catch (Exception e) when (e is CryptographicException or InvalidOperationException) { return false; }
    }

    /// <summary>The public key (SubjectPublicKeyInfo, base64), or null when it cannot be read; the caller disposes it.</summary>
    public static ECDsa? KeyOf(string publicKeySpki)
    {
        var key = ECDsa.Create();
        try { key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKeySpki), out _); return key; }
        catch (Exception e) when (e is CryptographicException or FormatException) { key.Dispose(); return null; }
    }

    /// <summary>Opens and checks a message against a device's known keys; what a verifier does with a logged reading.</summary>
    public static (Reading? Reading, DomainError? Error) OpenAndVerify(string base64, string publicKeySpki)
    {
        var (reading, message, error) = Open(base64);
        if (error is not null) return (null, error);
        return Verify(message!, publicKeySpki) ? (reading, null) : (null, ReadingErrors.BadSignature);
    }

    /// <summary>The key's id: SHA-256 of its SubjectPublicKeyInfo, lower-case hex; null when it is not an ECDSA P-256 key.</summary>
    public static string? KeyIdOf(string? publicKeySpki)
    {
        if (string.IsNullOrEmpty(publicKeySpki) || publicKeySpki.Length > DeviceLimits.KeyMaxLength) return null;
        try
        {
            var spki = Convert.FromBase64String(publicKeySpki);
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value) return null;
            return Convert.ToHexStringLower(SHA256.HashData(spki));
        }
        catch (Exception e) when (e is CryptographicException or FormatException) { return null; }
    }

    /// <summary>Signs a reading as a device would (the simulator and tests).</summary>
    public static string Sign(ECDsa deviceKey, string device, long counter, DateTimeOffset at, string? asset, Measurements m)
    {
        var keyId = Convert.FromHexString(KeyIdOf(Convert.ToBase64String(deviceKey.ExportSubjectPublicKeyInfo()))!);
        var headers = new CoseHeaderMap { [CoseHeaderLabel.KeyIdentifier] = CoseHeaderValue.FromBytes(keyId) };
        var signer = new CoseSigner(deviceKey, HashAlgorithmName.SHA256, headers);
        return Convert.ToBase64String(CoseSign1Message.SignEmbedded(ReadingBody.Encode(device, counter, at, asset, m), signer));
    }

    static Reading Body(ReadOnlySpan<byte> content, string keyId, string message)
    {
        var (device, counter, at, asset, m) = ReadingBody.Decode(content);
        return new Reading(device, counter, at, asset, m, keyId, message);
    }

    static bool TryInt(CoseHeaderValue value, out int result)
    {
        try { result = value.GetValueAsInt32(); return true; }
        catch (InvalidOperationException) { result = 0; return false; }
    }

    static (Reading?, CoseSign1Message?, DomainError?) Refused(DomainError error) => (null, null, error);
}

/// <summary>Why a signed message is not a reading at all, before any device rule is asked.</summary>
public static class ReadingErrors
{
    public static DomainError Malformed(string why) => DeviceErrors.Reading("malformed", $"The reading cannot be read: {why}.");
    public static readonly DomainError Detached = DeviceErrors.Reading("detached_payload", "The reading's payload is detached; embed it in the COSE_Sign1 message.");
    public static readonly DomainError Algorithm = DeviceErrors.Reading("wrong_algorithm", "A reading is signed with ES256 (COSE alg -7), named in the protected header.");
    public static readonly DomainError BadSignature = DeviceErrors.Reading("bad_signature", "The reading's signature does not hold under the device's key.");
}
