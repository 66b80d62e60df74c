using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AssetLedger.Api.Security;

/// <summary>
/// The ES256 key that signs access tokens: an ECDSA P-256 private key in a PEM file outside git, created on first
/// start. Every API instance reads the same file (shared directory or a deployed copy), so any instance accepts
/// tokens any other issued.
/// </summary>
public sealed class JwtKeys
{
    public const string Issuer = "assetledger";
    public const string Audience = "assetledger-api";

    public ECDsa Key { get; }
    public ECDsaSecurityKey SecurityKey { get; }
    public SigningCredentials Credentials { get; }

    public JwtKeys(string directory)
    {
        var path = Path.Combine(directory, "jwt-signing.pem");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var temp = Path.Combine(directory, $".jwt-signing.{Guid.NewGuid():N}.tmp");
            File.WriteAllText(temp, fresh.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try { File.Move(temp, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { File.Delete(temp); }
        }
        Key = ECDsa.Create();
        Key.ImportFromPem(File.ReadAllText(path));
        SecurityKey = new ECDsaSecurityKey(Key) { KeyId = Convert.ToHexStringLower(SHA256.HashData(Key.ExportSubjectPublicKeyInfo()))[..16] };
        Credentials = new SigningCredentials(SecurityKey, SecurityAlgorithms.EcdsaSha256);
    }
}
