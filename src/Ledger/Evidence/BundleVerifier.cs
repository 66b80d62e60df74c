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
/// against the Domain's rules, each event's commitment to its signer's context, and each device reading's signature
/// against the key its device held then. The bundle is parsed once; each check reads it.
/// </summary>
public static class BundleVerifier
{
    /// <summary>The checks after the manifest's, in the order the report lists them.</summary>
    static readonly Func<ParsedBundle, VerifierOptions, VerificationCheck>[] Checks =
    [
        ArchiveRulesCheck.Run,
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
        DeviceReadingsCheck.Run,
        TimesCheck.Run,
        ReportCheck.Run,
    ];

    public static VerificationReport Verify(string zipPath, VerifierOptions? options = null)
    {
        using var stream = File.OpenRead(zipPath);
        return Verify(stream, options);
    }

    public static VerificationReport Verify(Stream zip, VerifierOptions? options = null)
    {
        BundleArchive archive;
        try { archive = ReadArchive(zip); }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            return new VerificationReport("?", [new VerificationCheck("bundle", false, "not a readable ZIP archive", [e.Message])]);
        }
        return Verify(archive, options);
    }

    /// <summary>Files without an archive around them (tests that edit a bundle): every name is an entry, none a directory.</summary>
    public static VerificationReport Verify(IReadOnlyDictionary<string, byte[]> files, VerifierOptions? options = null) =>
        Verify(new BundleArchive(files, [.. files.Keys]), options);

    public static VerificationReport Verify(BundleArchive archive, VerifierOptions? options = null)
    {
        options ??= new VerifierOptions();
        var files = archive.Files;
        var (manifestCheck, manifest) = ManifestReader.Read(files);
        if (manifest is null) return new VerificationReport("?", [manifestCheck]);
        var bundle = BundleParser.Parse(files, manifest, archive.Entries);
        // A search certificate is a bundle whose manifest also signs the search's answer: one more check, that the answer is what its events prove.
        var checks = manifest.Kind == "search" ? [.. Checks, SearchAnswerCheck.Run] : Checks;
        return new VerificationReport(manifest.Subject, [manifestCheck, .. checks.Select(check => check(bundle, options))], Unpinned(bundle, options));
    }

    /// <summary>
    /// REPORT.md and report.html as the verifier renders them from the bundle's other files (what ReportCheck compares
    /// with), or null if the manifest or the bundle's checkpoint cannot be read.
    /// </summary>
    public static (string Markdown, string Html)? RenderReport(IReadOnlyDictionary<string, byte[]> files)
    {
        var (_, manifest) = ManifestReader.Read(files);
        if (manifest is null) return null;
        var (model, _) = ReportCheck.Model(BundleParser.Parse(files, manifest, [.. files.Keys]));
        return model is null ? null : (Report.EvidenceReport.Markdown(model), Report.EvidenceReport.Html(model));
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

    /// <summary>
    /// Every entry name as the archive lists it (directories and repeated names included, for the archive check) and
    /// the files by path; a name held twice keeps its first entry's bytes. Throws only for what is not a ZIP archive.
    /// </summary>
    public static BundleArchive ReadArchive(Stream zip)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var entries = new List<string>();
        foreach (var entry in archive.Entries)
        {
            entries.Add(entry.FullName);
            if (entry.FullName.EndsWith('/') || files.ContainsKey(entry.FullName)) continue;
            using var s = entry.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            files[entry.FullName] = m.ToArray();
        }
        return new BundleArchive(files, entries);
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
