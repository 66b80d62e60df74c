using System.Security.Cryptography;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary><c>manifest.sig</c> is the ledger key's signed note over the SHA-256 of this <c>manifest.json</c>.</summary>
static class ManifestSignatureCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var key = bundle.Manifest.LedgerKey;
        var note = bundle.Text(BundleFormat.ManifestSignature);
        if (note is null) failures.Add($"{BundleFormat.ManifestSignature} is missing");
        else
        {
            var opened = SignedNote.Open(note, key);
            var expected = BundleFormat.SignatureText(bundle.Manifest.Origin, Convert.ToHexStringLower(SHA256.HashData(bundle.Files[BundleFormat.Manifest])));
            if (!opened.IsValid) failures.Add($"{BundleFormat.ManifestSignature}: {opened.Message}");
            else if (opened.Text != expected) failures.Add($"{BundleFormat.ManifestSignature}: signs '{opened.Text!.ReplaceLineEndings(" ").Trim()}', not the SHA-256 of this {BundleFormat.Manifest}");
        }
        return VerificationCheck.From("manifest signature", failures, $"{BundleFormat.Manifest} is signed by the ledger key {key.Name}+{key.KeyId:x8}");
    }
}
