using System.IO.Compression;
using AssetLedger.Ledger.Evidence.Checks;
using AssetLedger.Ledger.Evidence.Parsing;

namespace AssetLedger.Ledger.Evidence;

/// <summary>
/// Checks an evidence bundle (docs/evidence-bundle.md) offline — no database, no network: the files against the
/// manifest and the manifest's signature, every event's hash from its canonical envelope, every stream-chain link, every
/// inclusion proof against the signed checkpoint's root, the checkpoints' signatures, the consistency proofs, the local
/// anchor receipts, the chain anchor receipts (EVM, Fabric: their form and that they name the bundle's checkpoints; the
/// online check in Infrastructure asks the chains), the signed commands against the signers' registered keys, and the
/// replay of each asset through the Domain against the state file. The bundle is parsed once; each check reads it.
/// </summary>
public static class BundleVerifier
{
    /// <summary>The checks after the manifest's, in the order the report lists them.</summary>
    static readonly Func<ParsedBundle, VerifierOptions, VerificationCheck>[] Checks =
    [
        FileHashesCheck.Run,
        ManifestSignatureCheck.Run,
        TrustedKeysCheck.Run,
        EventHashesCheck.Run,
        StreamChainsCheck.Run,
        CheckpointSignaturesCheck.Run,
        InclusionProofsCheck.Run,
        ConsistencyProofsCheck.Run,
        AnchorReceiptsCheck.Run,
        ChainReceiptsCheck.Run,
        SignedCommandsCheck.Run,
        ReplayCheck.Run,
    ];

    public static VerificationReport Verify(string zipPath, VerifierOptions? options = null)
    {
        using var stream = File.OpenRead(zipPath);
        return Verify(stream, options);
    }

    public static VerificationReport Verify(Stream zip, VerifierOptions? options = null)
    {
        Dictionary<string, byte[]> files;
        try { files = ReadZip(zip); }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            return new VerificationReport("?", [new VerificationCheck("bundle", false, "not a readable ZIP archive", [e.Message])]);
        }
        return Verify(files, options);
    }

    public static VerificationReport Verify(IReadOnlyDictionary<string, byte[]> files, VerifierOptions? options = null)
    {
        options ??= new VerifierOptions();
        var (manifestCheck, manifest) = ManifestReader.Read(files);
        if (manifest is null) return new VerificationReport("?", [manifestCheck]);
        var bundle = BundleParser.Parse(files, manifest);
        return new VerificationReport(manifest.Subject, [manifestCheck, .. Checks.Select(check => check(bundle, options))]);
    }

    /// <summary>The bundle's files by path (for tests that edit a bundle and check it again).</summary>
    public static Dictionary<string, byte[]> ReadZip(Stream zip)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            if (entry.FullName.EndsWith('/')) continue;
            using var s = entry.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            if (!files.TryAdd(entry.FullName, m.ToArray())) throw new InvalidDataException($"The archive holds {entry.FullName} twice.");
        }
        return files;
    }

    public static void WriteZip(IReadOnlyDictionary<string, byte[]> files, Stream output)
    {
        using var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (path, bytes) in files)
        {
            using var s = archive.CreateEntry(path, CompressionLevel.Fastest).Open();
            s.Write(bytes);
        }
    }
}
