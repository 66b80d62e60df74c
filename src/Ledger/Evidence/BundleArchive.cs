namespace AssetLedger.Ledger.Evidence;

/// <summary>
/// A bundle as its ZIP archive holds it: the files by path, and every entry name in archive order (directory entries
/// and repeated names included), which the archive check judges (docs/evidence-bundle.md §2).
/// </summary>
public sealed record BundleArchive(IReadOnlyDictionary<string, byte[]> Files, IReadOnlyList<string> Entries)
{
    /// <summary>What is wrong with the ZIP's bytes outside the files' data (<see cref="Parsing.ZipStructure"/>); empty without an archive.</summary>
    public IReadOnlyList<string> ZipProblems { get; init; } = [];
}
