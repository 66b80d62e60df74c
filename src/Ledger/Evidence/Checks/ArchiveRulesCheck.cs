using AssetLedger.Ledger.Evidence.Parsing;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// The ZIP archive itself (docs/evidence-bundle.md §2): only file entries, each name once (also ignoring case, since
/// an extraction on a case-insensitive file system would merge two), relative, with no empty, <c>.</c> or <c>..</c>
/// segment and no backslash. Unzipping a bundle that breaks them could write outside the folder, or show a person a
/// file other than the one checked. That every entry is listed in the manifest is the file hashes check. The ZIP's own
/// bytes (headers, central directory, end record) are laid out as the exporter writes them (<see cref="ZipStructure"/>),
/// so that no byte of a bundle can change and leave it verified.
/// </summary>
static class ArchiveRulesCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>(bundle.ZipProblems);
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in bundle.Entries)
        {
            if (Problem(name) is { } problem) failures.Add($"entry '{name}': {problem}");
            if (seen.TryGetValue(name, out var first))
                failures.Add(first == name ? $"entry '{name}' is in the archive more than once" : $"entries '{first}' and '{name}' differ only in case");
            else seen[name] = name;
        }
        return VerificationCheck.From("archive", failures, $"{bundle.Entries.Count} file entries, each named once, none a directory or outside the bundle");
    }

    static string? Problem(string name)
    {
        if (name.Length == 0) return "an empty name";
        if (name.EndsWith('/')) return "a directory entry (a bundle holds only files)";
        if (name.Contains('\\', StringComparison.Ordinal)) return "a backslash (names use / only)";
        if (name.StartsWith('/') || (name.Length >= 2 && name[1] == ':')) return "an absolute path";
        if (name.Split('/').Any(s => s is "" or "." or "..")) return "an empty, '.' or '..' path segment";
        if (name.Any(char.IsControl)) return "a control character";
        return null;
    }
}
