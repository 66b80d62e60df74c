using System.Reflection;

namespace AssetLedger.Architecture.Tests;

/// <summary>Projections → Application → Domain: the read models reach the event store only through its port.</summary>
public class ProjectionsDependencyTests
{
    static readonly Assembly Projections = typeof(AssetLedger.Projections.ProjectionRunner).Assembly;

    [Fact]
    public void Projections_do_not_reference_infrastructure_or_api()
    {
        var names = Projections.GetReferencedAssemblies().Select(n => n.Name!).ToList();
        Assert.Contains("AssetLedger.Application", names);
        Assert.DoesNotContain(names, n => n.StartsWith("AssetLedger.Infrastructure") || n.StartsWith("AssetLedger.Api") || n.StartsWith("assetledger"));
    }
}
