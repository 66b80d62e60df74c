using System.IO.Compression;
using AssetLedger.Ledger.Evidence.Checks;
using AssetLedger.Ledger.Evidence.Parsing;

namespace AssetLedger.Ledger.Evidence;

/// <summary>
/// Checks an evidence bundle (docs/evidence-bundle.md) offline — no database, no network: the files against the
/// manifest and the manifest's signature, every event's hash from its canonical envelope, every stream-chain link, every
/// inclusion proof against the signed checkpoint's root, the checkpoints' signatures, the consistency proofs, the local
/// anchor receipts, the chain anchor receipts (EVM, Fabric: their form and that they name the bundle's checkpoints; the
/// online check in Infrastructure asks the chains), the signed commands against the signers' registered keys and
/// against the events they produced, the replay of each asset through the Domain against the state file, each event
/// against the Domain's rules, and each event's commitment to its signer's context. The bundle is parsed once; each check reads it.
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
        WitnessCosignaturesCheck.Run,
        SignedCommandsCheck.Run,
        SignatureBindingCheck.Run,
        ReplayCheck.Run,
        RulesCheck.Run,
        SignerContextCheck.Run,
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
        return new VerificationReport(manifest.Subject, [manifestCheck, .. Checks.Select(check => check(bundle, options))], Unpinned(bundle, options));
    }

    /// <summary>What the bundle's truth rests on that the person did not pin: each is a reason not to say VERIFIED.</summary>
    static IReadOnlyList<string> Unpinned(ParsedBundle bundle, VerifierOptions options)
    {
        var policy = options.TrustPolicy;
        var reasons = new List<string>();
        if (options.LedgerKey is null)
            reasons.Add($"the ledger key is not pinned: the bundle names its own ({bundle.Manifest.LedgerKey.VerifierKey}); compare it with the published one and pass --ledger-key");
        if (!policy.WitnessesDecided)
            reasons.Add("no witness is pinned: the operator holds every key in the bundle and could have re-derived it; pass --witness-key (or --witness-quorum 0 to rely on the ledger key alone)");
        var kinds = ChainReceiptsCheck.Kinds(bundle);
        if (kinds.Contains(ReceiptKind.Evm) && !policy.PinsEvm)
            reasons.Add("the EVM receipts' chain and contract are not pinned: a contract the operator deployed would do; pass --evm-chain-id and --evm-contract");
        if (kinds.Contains(ReceiptKind.Fabric) && !policy.PinsFabric)
            reasons.Add("the Fabric receipts' channel and chaincode are not pinned; pass --fabric-channel and --fabric-chaincode");
        return reasons;
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
