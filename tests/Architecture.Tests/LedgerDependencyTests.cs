using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;

namespace AssetLedger.Architecture.Tests;

/// <summary>
/// Ledger → Domain only: what a court's verifier and a witness need, with nothing that reaches PostgreSQL, a chain
/// client or ASP.NET. The Ledger is found as the assembly that holds the bundle verifier, so these tests would also
/// judge wherever the verifier lived before (in Infrastructure, which references all of those).
/// </summary>
public class LedgerDependencyTests
{
    static readonly Assembly Ledger = typeof(AssetLedger.Ledger.Evidence.BundleVerifier).Assembly;

    /// <summary>Packages a verifier may carry: Ed25519 for signed notes, Keccak-256 for EIP-55 addresses, the runtime's COSE and CBOR for device readings.</summary>
    static readonly string[] PurePackages = ["NSec.Cryptography", "BouncyCastle.Cryptography", "System.Security.Cryptography.Cose", "System.Formats.Cbor"];

    static readonly string[] Forbidden = ["Npgsql", "Nethereum", "Grpc", "Google.Protobuf", "Microsoft.AspNetCore", "Dapper", "dbup",
        "AssetLedger.Application", "AssetLedger.Infrastructure", "AssetLedger.Projections", "AssetLedger.Api"];

    /// <summary>PostgreSQL, the chain clients, ASP.NET, or a project outside the Ledger's direction (the CLI is <c>assetledger</c>).</summary>
    static bool IsForbidden(string name) => name == "assetledger" || Forbidden.Any(f => name.StartsWith(f, StringComparison.OrdinalIgnoreCase));

    static bool IsRuntime(string name) => name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib";

    [Fact]
    public void Ledger_references_only_the_runtime_the_domain_and_pure_packages()
    {
        var names = Ledger.GetReferencedAssemblies().Select(n => n.Name!).ToList();
        var others = names.Where(n => !IsRuntime(n) && n != "AssetLedger.Domain" && !PurePackages.Contains(n)).ToList();
        Assert.True(others.Count == 0, $"{Ledger.GetName().Name} references {string.Join(", ", others)}; it may reference only the runtime, the Domain and {string.Join(", ", PurePackages)}.");
        Assert.DoesNotContain(names, IsForbidden);
    }

    [Fact]
    public void Ledger_dependency_closure_in_deps_json_has_no_storage_chain_or_web_package()
    {
        var closure = DepsJsonClosure(Ledger.GetName().Name!);
        Assert.Contains("AssetLedger.Domain", closure);
        var bad = closure.Where(IsForbidden).Order().ToList();
        Assert.True(bad.Count == 0, $"{Ledger.GetName().Name} depends, directly or through others, on {string.Join(", ", bad)}.");
    }

    [Fact]
    public void Ledger_assemblies_referenced_recursively_have_no_storage_chain_or_web_assembly()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var work = new Stack<Assembly>([Ledger]);
        while (work.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (!seen.Add(reference.Name!) || IsRuntime(reference.Name!)) continue;
                // An assembly that cannot be loaded here is not in the test's output, so nothing of ours ships it.
                try { work.Push(Assembly.Load(reference)); } catch (FileNotFoundException) { }
            }
        }
        var bad = seen.Where(IsForbidden).Order().ToList();
        Assert.True(bad.Count == 0, $"{Ledger.GetName().Name} reaches {string.Join(", ", bad)} through its references.");
    }

    [Fact]
    public void Ledger_project_file_references_no_project_but_the_domain_and_no_framework()
    {
        var csproj = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "Ledger", "AssetLedger.Ledger.csproj"));
        var projects = csproj.Descendants("ProjectReference").Select(p => p.Attribute("Include")!.Value.Replace('\\', '/')).ToList();
        Assert.Equal(["../Domain/AssetLedger.Domain.csproj"], projects);
        Assert.Empty(csproj.Descendants("FrameworkReference"));
        var packages = csproj.Descendants("PackageReference").Select(p => p.Attribute("Include")!.Value).ToList();
        Assert.All(packages, p => Assert.Contains(p, PurePackages));
    }

    /// <summary>Every library the named one depends on, as the test's own deps.json resolved them (packages and projects).</summary>
    static HashSet<string> DepsJsonClosure(string library)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"{typeof(LedgerDependencyTests).Assembly.GetName().Name}.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(path));
        var target = deps.RootElement.GetProperty("targets").EnumerateObject().First().Value;
        var byName = target.EnumerateObject().ToDictionary(l => l.Name[..l.Name.IndexOf('/')], l => l.Value, StringComparer.OrdinalIgnoreCase);
        var closure = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var work = new Stack<string>([library]);
        while (work.TryPop(out var name))
        {
            if (!byName.TryGetValue(name, out var entry) || !entry.TryGetProperty("dependencies", out var dependencies)) continue;
            foreach (var d in dependencies.EnumerateObject())
                if (closure.Add(d.Name)) work.Push(d.Name);
        }
        Assert.True(byName.ContainsKey(library), $"{library} is not in {path}");
        return closure;
    }

    static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        return dir!;
    }
}
