using System.Reflection;

namespace AssetLedger.Architecture.Tests;

/// <summary>Dependencies point inward only: the Domain references nothing but the runtime.</summary>
public class DependencyDirectionTests
{
    static readonly Assembly Domain = typeof(AssetLedger.Domain.Assets.AssetDecider).Assembly;
    static readonly Assembly Application = typeof(AssetLedger.Application.Ports.IEventStore).Assembly;

    static bool IsRuntime(AssemblyName n) => n.Name is "System.Runtime" or "System.Collections.Immutable" or "System.Linq" or "System.Collections"
        or "System.Text.RegularExpressions" or "System.Memory" or "netstandard" or "mscorlib" or "System.Private.CoreLib";

    [Fact]
    public void Domain_references_only_the_runtime()
    {
        var others = Domain.GetReferencedAssemblies().Where(n => !IsRuntime(n)).Select(n => n.Name).ToList();
        Assert.True(others.Count == 0, $"Domain references {string.Join(", ", others)}; it must reference no package and no project.");
    }

    [Fact]
    public void Domain_project_file_has_no_package_or_project_reference()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        var csproj = File.ReadAllText(Path.Combine(dir!, "src", "Domain", "AssetLedger.Domain.csproj"));
        Assert.DoesNotContain("PackageReference", csproj);
        Assert.DoesNotContain("ProjectReference", csproj);
    }

    [Fact]
    public void Application_does_not_reference_infrastructure_projections_or_api()
    {
        var names = Application.GetReferencedAssemblies().Select(n => n.Name!).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("AssetLedger.Infrastructure") || n.StartsWith("AssetLedger.Projections") || n.StartsWith("AssetLedger.Api") || n.StartsWith("Npgsql"));
    }
}
