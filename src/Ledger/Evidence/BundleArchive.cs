namespace AssetLedger.Ledger.Evidence;

/// <summary>
/// A bundle as its ZIP archive holds it: the files by path, and every entry name in archive order (directory entries
/// and repeated names included), which the archive check judges (docs/evidence-bundle.md §2).
/// </summary>
public sealed record BundleArchive(IReadOnlyDictionary<string, byte[]> Files, IReadOnlyList<string> Entries);
