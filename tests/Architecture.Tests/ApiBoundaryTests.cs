using System.Text.RegularExpressions;

namespace AssetLedger.Architecture.Tests;

/// <summary>
/// Endpoints bind, send and map: every refusal is a <c>DomainError</c> from a catalog, turned into an RFC 9457 problem
/// in one place (src/Api/Problems), and what the Api uses of the ledger, evidence, chains and accounts
/// comes through Application ports; only the composition root (src/Api/Hosting) names Infrastructure. Source scans.
/// </summary>
public class ApiBoundaryTests
{
    static readonly string Api = Path.Combine(RepositoryRoot(), "src", "Api");

    [Fact]
    public void Only_the_problems_folder_builds_a_problem()
    {
        var builds = new Regex(@"new\s+(Microsoft\.AspNetCore\.Mvc\.)?ProblemDetails\b|(Typed)?Results\.(Validation)?Problem\s*\(|\b(Problems|P)\.(Create|BadRequest|Invalid)\s*\(");
        None(Offending(Outside("Problems"), builds), "builds a problem outside src/Api/Problems (return Problems.From(error))");
    }

    [Fact]
    public void Api_errors_come_from_the_catalogs_in_the_problems_folder()
    {
        var makes = new Regex(@"new\s+(Domain\.Common\.)?DomainError\s*\(|\bDomainError\s+\w+\s*\([^)]*\)\s*=>\s*new\s*\(");
        None(Offending(Outside("Problems"), makes), "makes an error outside the catalogs in src/Api/Problems");
    }

    [Fact]
    public void Only_the_composition_root_names_infrastructure()
    {
        // Inside the AssetLedger.Api namespaces a bare "Infrastructure." also names AssetLedger.Infrastructure.
        var reaches = new Regex(@"\b(AssetLedger\.)?Infrastructure\.[A-Z]");
        None(Offending(Outside("Hosting"), reaches), "uses Infrastructure outside src/Api/Hosting; go through a port in Application/Ports");
    }

    static void None(List<string> offending, string what) =>
        Assert.True(offending.Count == 0, $"{offending.Count} line(s) {what}:\n{string.Join("\n", offending)}");

    static IEnumerable<string> Outside(string folder) =>
        SourceFiles(Api).Where(f => !f.StartsWith(Path.Combine(Api, folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    internal static IEnumerable<string> SourceFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    /// <summary>"file:line: code" for each line (comments left out) that matches.</summary>
    internal static List<string> Offending(IEnumerable<string> files, Regex pattern) =>
        files.SelectMany(f => File.ReadAllLines(f).Select((line, i) => (f, line, i)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && pattern.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(RepositoryRoot(), x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();

    internal static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("No AssetLedger.sln above the test's directory.");
    }
}
