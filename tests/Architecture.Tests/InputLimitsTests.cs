using System.Text.RegularExpressions;

namespace AssetLedger.Architecture.Tests;

/// <summary>
/// The Domain owns every length limit of what a command carries (AssetLimits, ParticipantId.MaxLength, …); an endpoint
/// checks only a request's shape (types, required fields, enum names). So the Api compares a length with a number only
/// for the few values no Domain rule covers, listed here with the reason; anywhere else it names the Domain's constant.
/// </summary>
public partial class InputLimitsTests
{
    /// <summary>(file, what is measured) → why the Api owns that limit.</summary>
    static readonly Dictionary<(string File, string Subject), string> ApiOwned = new()
    {
        [("IdempotencyMiddleware.cs", "key")] = "the Idempotency-Key header is the Api's own; no command carries it",
        [("OpenApiExtensions.cs", "MaxLength")] = "documents that same Idempotency-Key limit",
        [("TraceRequests.cs", "Q")] = "free-text search over several fields, not a command field",
    };

    // "x.Length > 200", "x.Trim().Length < 3", "x is { Length: 0 or > 200 }", "MaxLength = 200": a length set against a literal.
    [GeneratedRegex(@"(?<subject>\w+)(?:\.Trim\(\))?\.Length\s*(?:[<>]=?|==|!=)\s*(?<n>\d[\d_]*)|(?<subject>\w+)\s+is\s+(?:not\s+)?\{\s*Length:(?<pattern>[^}]*)\}|(?<subject>(?:Max|Min)Length)\s*=\s*(?<n>\d[\d_]*)")]
    private static partial Regex LengthAgainstLiteral();

    [GeneratedRegex(@"(?<![\w.])\d[\d_]*")]
    private static partial Regex Number();

    [Fact]
    public void The_api_holds_no_length_literal_for_a_field_the_domain_limits()
    {
        var api = Path.Combine(RepositoryRoot(), "src", "Api");
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(api, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                foreach (Match m in LengthAgainstLiteral().Matches(lines[i]))
                {
                    string[] literals = m.Groups["n"].Success ? [m.Groups["n"].Value] : Number().Matches(m.Groups["pattern"].Value).Select(n => n.Value).ToArray();
                    if (literals.All(n => n == "0")) continue; // empty or not: a shape, not a limit
                    if (ApiOwned.ContainsKey((Path.GetFileName(file), m.Groups["subject"].Value))) continue;
                    found.Add($"{Path.GetRelativePath(api, file)}:{i + 1}: {m.Value.Trim()}");
                }
        }
        Assert.True(found.Count == 0,
            "The Api holds length limits of its own; let the Domain check them (or name its constant, e.g. AssetLimits.Text):\n" + string.Join("\n", found));
    }

    [Fact]
    public void Every_api_owned_limit_is_still_there()
    {
        var api = Path.Combine(RepositoryRoot(), "src", "Api");
        var texts = Directory.EnumerateFiles(api, "*.cs", SearchOption.AllDirectories).GroupBy(Path.GetFileName).ToDictionary(g => g.Key!, g => string.Concat(g.Select(File.ReadAllText)));
        var stale = ApiOwned.Keys.Where(k => !texts.TryGetValue(k.File, out var text) || !LengthAgainstLiteral().Matches(text).Any(m => m.Groups["subject"].Value == k.Subject)).ToList();
        Assert.True(stale.Count == 0, "Remove these from ApiOwned, the Api no longer holds them: " + string.Join(", ", stale));
    }

    static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("AssetLedger.sln not found above the test's directory.");
    }
}
