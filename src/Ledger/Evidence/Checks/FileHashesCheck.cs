using System.Security.Cryptography;
using AssetLedger.Ledger.Evidence.Parsing;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>Every file the manifest lists is in the bundle with its SHA-256 and size, and no other file is.</summary>
static class FileHashesCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, sha, bytes) in bundle.Manifest.Files)
        {
            if (!seen.Add(path)) { failures.Add($"{path} is listed twice in {BundleFormat.Manifest}"); continue; }
            if (path is BundleFormat.Manifest or BundleFormat.ManifestSignature) { failures.Add($"{path} cannot list itself"); continue; }
            if (!bundle.Files.TryGetValue(path, out var content)) { failures.Add($"{path} is listed in {BundleFormat.Manifest} but missing from the bundle"); continue; }
            var actual = Convert.ToHexStringLower(SHA256.HashData(content));
            if (actual != sha) failures.Add($"{path}: SHA-256 is {actual}, the manifest says {sha}");
            else if (content.LongLength != bytes) failures.Add($"{path}: {content.LongLength} bytes, the manifest says {bytes}");
        }
        foreach (var path in bundle.Files.Keys.Where(p => p is not (BundleFormat.Manifest or BundleFormat.ManifestSignature) && !seen.Contains(p)).Order(StringComparer.Ordinal))
            failures.Add($"{path} is in the bundle but not listed in {BundleFormat.Manifest}");
        string[] requiredFiles = [BundleFormat.Events, BundleFormat.Participants, BundleFormat.Proofs, BundleFormat.Consistency, BundleFormat.Anchors, BundleFormat.State, bundle.Manifest.CheckpointFile,
            .. bundle.Manifest.FormatVersion >= BundleFormat.FirstVersionWithDevices ? [BundleFormat.Devices] : Array.Empty<string>()];
        foreach (var required in requiredFiles)
            if (!seen.Contains(required)) failures.Add($"{required} is not in the bundle");
        return VerificationCheck.From("file hashes", failures, $"{bundle.Manifest.Files.Count} files match the SHA-256 hashes in {BundleFormat.Manifest}");
    }
}
