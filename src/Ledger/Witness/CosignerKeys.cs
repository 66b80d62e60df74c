using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AssetLedger.Ledger.Notes;
using NSec.Cryptography;

namespace AssetLedger.Ledger.Witness;

/// <summary>
/// A C2SP tlog-cosignature/v1 (Ed25519) key. Its key id differs from a log key's: SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4],
/// and its verifier key is <c>name+hex8(id)+base64(0x04 ‖ public key)</c>, so a witness key can never be mistaken for a
/// log key (type 0x01) nor a cosignature for a checkpoint signature.
/// </summary>
public static class CosignerKeys
{
    public const byte CosignatureV1Type = 0x04;

    public static uint KeyId(string name, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = CosignatureV1Type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    internal static string Hex8(uint id) => id.ToString("x8", CultureInfo.InvariantCulture);
}

/// <summary>A witness's private key: cosigns checkpoints (<see cref="Cosignature.Sign"/>). Dispose to free the key.</summary>
public sealed class Cosigner : IDisposable
{
    static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    static KeyCreationParameters Exportable => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
    readonly Key _key;

    Cosigner(string name, Key key)
    {
        NoteKeys.ValidateName(name);
        (Name, _key) = (name, key);
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Key = new CosignerKey(name, CosignerKeys.KeyId(name, publicKey), publicKey);
    }

    public string Name { get; }
    public CosignerKey Key { get; }

    public static Cosigner Generate(string name) => new(name, NSec.Cryptography.Key.Create(Ed25519, Exportable));

    /// <summary>Reads <c>PRIVATE+KEY+name+id+base64(0x04 ‖ seed)</c>, checking the id.</summary>
    public static Cosigner Parse(string signerKey)
    {
        var parts = signerKey.Trim().Split('+', 5);
        if (parts.Length != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY") throw new FormatException("A witness signer key starts with PRIVATE+KEY+ and has five '+'-separated parts.");
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[4]); }
        catch (FormatException) { throw new FormatException("The witness signer key's key material is not base64."); }
        if (blob.Length != 33 || blob[0] != CosignerKeys.CosignatureV1Type) throw new FormatException("A witness signer key is of type 0x04 (cosignature/v1) with a 32-byte Ed25519 seed.");
        var signer = new Cosigner(parts[2], NSec.Cryptography.Key.Import(Ed25519, blob.AsSpan(1), KeyBlobFormat.RawPrivateKey, Exportable));
        if (CosignerKeys.Hex8(signer.Key.KeyId) == parts[3]) return signer;
        signer.Dispose();
        throw new FormatException($"The witness signer key's id {parts[3]} does not match its name and key.");
    }

    /// <summary>For the witness's own key file only: never log it.</summary>
    public string ExportSignerKey() =>
        $"PRIVATE+KEY+{Name}+{CosignerKeys.Hex8(Key.KeyId)}+{Convert.ToBase64String([CosignerKeys.CosignatureV1Type, .. _key.Export(KeyBlobFormat.RawPrivateKey)])}";

    internal byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(_key, message);

    public void Dispose() => _key.Dispose();
}

/// <summary>A witness's public key, as a verifier pins it: <c>name+hex8(id)+base64(0x04 ‖ public key)</c>.</summary>
public sealed class CosignerKey
{
    readonly PublicKey _key;

    public CosignerKey(string name, uint keyId, byte[] publicKey)
    {
        NoteKeys.ValidateName(name);
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
            throw new FormatException("Not an Ed25519 public key.");
        if (CosignerKeys.KeyId(name, publicKey) != keyId) throw new FormatException($"Key id {CosignerKeys.Hex8(keyId)} does not match the name and key.");
        (Name, KeyId, PublicKeyBytes, _key) = (name, keyId, publicKey.ToArray(), key);
    }

    public string Name { get; }
    public uint KeyId { get; }
    public byte[] PublicKeyBytes { get; }

    public string VerifierKey => $"{Name}+{CosignerKeys.Hex8(KeyId)}+{Convert.ToBase64String([CosignerKeys.CosignatureV1Type, .. PublicKeyBytes])}";

    public static CosignerKey Parse(string verifierKey)
    {
        var parts = verifierKey.Trim().Split('+', 3);
        if (parts.Length != 3 || parts[1].Length != 8 || parts[1] != parts[1].ToLowerInvariant()
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
            throw new FormatException("A witness key is name+8 lower-case hex digits+base64 key.");
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[2]); }
        catch (FormatException) { throw new FormatException("The witness key's key material is not base64."); }
        if (blob.Length != 33 || blob[0] != CosignerKeys.CosignatureV1Type) throw new FormatException("A witness key is of type 0x04 (cosignature/v1, Ed25519).");
        return new CosignerKey(parts[0], id, blob[1..]);
    }

    public static bool TryParse(string? verifierKey, out CosignerKey? key)
    {
        try { key = Parse(verifierKey ?? ""); return true; }
        catch (FormatException) { key = null; return false; }
    }

    internal bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && SignatureAlgorithm.Ed25519.Verify(_key, message, signature);
}
