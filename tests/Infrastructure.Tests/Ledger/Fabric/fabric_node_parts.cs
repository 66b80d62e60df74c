namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>The Node parts of chain/fabric, run from the .NET suite so that CI runs them too.</summary>
public sealed class fabric_node_parts
{
    [Fact]
    public async Task the_chaincode_unit_tests_pass()
    {
        var folder = NodeTools.FabricFolder("chaincode");
        NodeTools.RequireInstalled(folder);
        var (exit, stdout, stderr) = await NodeTools.Run(folder, "node", ["--test", "--test-reporter=tap", "test/"], TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"chaincode tests failed:\n{stdout}\n{stderr}");
        Assert.Contains("# fail 0", stdout);
        Assert.Matches(@"# pass [1-9]", stdout);
    }

    [Fact]
    public async Task the_committed_fabric_protos_are_the_pinned_packages_files()
    {
        var folder = NodeTools.FabricFolder("protos");
        NodeTools.RequireInstalled(folder);
        var (exit, stdout, stderr) = await NodeTools.Run(folder, "bash", ["sync.sh", "--check"], TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"chain/fabric/protos differs from the pinned fabric-protos package:\n{stdout}\n{stderr}");
    }
}
