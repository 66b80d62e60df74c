using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace AssetLedger.Ledger.Notes;

/// <summary>
/// A C2SP signed-note Ed25519 key (signature type 0x01). Key id = first 4 bytes (big-endian) of
/// SHA-256(name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key). Text forms are those of the Go note package:
/// verifier <c>name+hex8(id)+base64(0x01 ‖ public key)</c>, signer <c>PRIVATE+KEY+name+hex8(id)+base64(0x01 ‖ seed)</c>.
/// </summary>
public static class NoteKeys
{
    public const byte Ed25519Type = 0x01;

    public static uint KeyId(string name, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = Ed25519Type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>Key names must be non-empty, without Unicode spaces or '+'.</summary>
    public static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c)))
            throw new ArgumentException($"'{name}' is not a valid note key name: it must be non-empty, without spaces or '+'.", nameof(name));
    }

    internal static string Hex8(uint id) => id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The private half: signs note texts. Dispose to free the key.</summary>
public sealed class NoteSigner : IDisposable
{
    static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    readonly Key _key;

    NoteSigner(string name, Key key)
    {
        NoteKeys.ValidateName(name);
        Name = name;
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = NoteKeys.KeyId(name, PublicKey);
        Verifier = new NoteVerifier(name, KeyId, PublicKey);
    }

    public string Name { get; }
    public uint KeyId { get; }
    public byte[] PublicKey { get; }
    public NoteVerifier Verifier { get; }

    /// <summary>The public key in note verifier-key form, e.g. <c>example.com/log+1a2b3c4d+AR...</c>.</summary>
    public string VerifierKey => Verifier.VerifierKey;

    public static NoteSigner Generate(string name) =>
        new(name, Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Reads a signer key <c>PRIVATE+KEY+name+id+base64(0x01 ‖ seed)</c>, checking the id.</summary>
    public static NoteSigner Parse(string signerKey)
    {
        var parts = signerKey.Trim().Split('+', 5);
        if (parts.Length != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY") throw new FormatException("A signer key starts with PRIVATE+KEY+ and has five '+'-separated parts.");
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[4]); }
        catch (FormatException) { throw new FormatException("The signer key's key material is not base64."); }
        if (blob.Length != 33 || blob[0] != NoteKeys.Ed25519Type) throw new FormatException("Only Ed25519 signer keys (type 0x01, 32-byte seed) are supported.");
        var key = Key.Import(Ed25519, blob.AsSpan(1), KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var signer = new NoteSigner(parts[2], key);
        if (NoteKeys.Hex8(signer.KeyId) != parts[3])
        {
            signer.Dispose();
            throw new FormatException($"The signer key's id {parts[3]} does not match its name and key ({NoteKeys.Hex8(signer.KeyId)}).");
        }
        return signer;
    }

    /// <summary>The signer key text, for the key file only: never log it.</summary>
    public string ExportSignerKey() =>
        $"PRIVATE+KEY+{Name}+{NoteKeys.Hex8(KeyId)}+{Convert.ToBase64String([NoteKeys.Ed25519Type, .. _key.Export(KeyBlobFormat.RawPrivateKey)])}";

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(_key, message);

    public void Dispose() => _key.Dispose();
}

/// <summary>The public half: checks signatures by one named key.</summary>
public sealed class NoteVerifier
{
    readonly PublicKey _key;

    public NoteVerifier(string name, uint keyId, byte[] publicKey)
    {
        NoteKeys.ValidateName(name);
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
            throw new FormatException("Not an Ed25519 public key.");
        if (NoteKeys.KeyId(name, publicKey) != keyId) throw new FormatException($"Key id {NoteKeys.Hex8(keyId)} does not match the name and key.");
        (Name, KeyId, PublicKeyBytes, _key) = (name, keyId, publicKey.ToArray(), key);
    }

    public string Name { get; }
    public uint KeyId { get; }
    public byte[] PublicKeyBytes { get; }

    public string VerifierKey => $"{Name}+{NoteKeys.Hex8(KeyId)}+{Convert.ToBase64String([NoteKeys.Ed25519Type, .. PublicKeyBytes])}";

    /// <summary>Reads a verifier key <c>name+id+base64(0x01 ‖ public key)</c>.</summary>
    public static NoteVerifier Parse(string verifierKey)
    {
        var parts = verifierKey.Trim().Split('+', 3);
        if (parts.Length != 3 || parts[1].Length != 8) throw new FormatException("A verifier key is name+8 hex digits+base64 key.");
        if (!uint.TryParse(parts[1], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var id) || parts[1] != parts[1].ToLowerInvariant())
            throw new FormatException("The verifier key's id is not 8 lower-case hex digits.");
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[2]); }
        catch (FormatException) { throw new FormatException("The verifier key's key material is not base64."); }
        if (blob.Length != 33 || blob[0] != NoteKeys.Ed25519Type) throw new FormatException("Only Ed25519 verifier keys (type 0x01) are supported.");
        return new NoteVerifier(parts[0], id, blob[1..]);
    }

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && SignatureAlgorithm.Ed25519.Verify(_key, message, signature);
}
