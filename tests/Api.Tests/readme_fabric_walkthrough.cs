using System.Text.RegularExpressions;
using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The README's Fabric section, run verbatim after the walk-through against the real service and the real Fabric network
/// scripts/test.sh brings up (ASSETLEDGER_TEST_FABRIC names its network.env): the operator records the consortium of
/// two organisations and a target, the walk-through asset's bundle holds a Fabric receipt endorsed by both, and
/// <c>assetledger verify</c> checks it offline against both pinned MSP roots and online on the other org's peer.
/// </summary>
public sealed class readme_fabric_walkthrough
{
    [Fact]
    public async Task the_walkthrough_asset_is_anchored_on_fabric_endorsed_by_both_orgs_and_verify_checks_it_offline_and_on_the_banks_peer()
    {
        var env = Environment.GetEnvironmentVariable("ASSETLEDGER_TEST_FABRIC");
        Assert.True(!string.IsNullOrEmpty(env) && File.Exists(env),
            "No Fabric network: scripts/test.sh brings one up (scripts/fabric-network.sh) and names its network.env in ASSETLEDGER_TEST_FABRIC.");
        await using var api = new ApiServer();
        await api.InitializeAsync();
        var work = Directory.CreateTempSubdirectory("readme-fabric-");
        try
        {
            // Its own witness, on a port and in a directory of its own, stopped afterwards (not the default 7380 another run may hold).
            var output = await readme_walkthrough.RunWithWitness(readme_walkthrough.ReadmeBlock() + readme_walkthrough.ReadmeBlock("fabric"), new Dictionary<string, string>
            {
                ["API"] = new Uri(api.BaseAddress, "/api/v1").ToString(), ["OPERATOR_PASSWORD"] = ApiServer.OperatorPassword,
                ["FABRIC_NET"] = Path.GetDirectoryName(env)!,
            }, TimeSpan.FromMinutes(3), work.FullName);
            Assert.DoesNotContain("\"status\":4", output);
            Assert.DoesNotContain("\"status\":5", output);

            // The receipt printed from the bundle: a VALID transaction on the channel.
            var printed = Regex.Match(output, @"^\{""treeSize"".*$", RegexOptions.Multiline).Value;
            Assert.True(printed.Length > 0, "the walk-through printed no Fabric receipt from the bundle; its output:\n" + output);
            var receipt = System.Text.Json.Nodes.JsonNode.Parse(printed)!;
            Assert.Equal(("mychannel", "VALID"), (receipt["channel"]!.GetValue<string>(), receipt["validationCode"]!.GetValue<string>()));
            Assert.Matches("^[0-9a-f]{64}$", receipt["transactionId"]!.GetValue<string>());

            // Both runs of verify hold: offline with both orgs' endorsements checked, online on Org2's peer.
            // (The walk-through's own bundle, pinned to the ledger key and its witness, is the first VERIFIED.)
            Assert.Equal(3, Regex.Matches(output, @"^VERIFIED: all \d+ checks hold\.$", RegexOptions.Multiline).Count);
            Assert.Equal(2, Regex.Matches(output, @"each Fabric transaction endorsed by peers of Org1MSP and Org2MSP \(pinned MSP roots\)").Count);
            Assert.Matches(@"(?m)^PASS chain receipts \(online\): \d+ Fabric receipts: the channel holds each checkpoint", output);
            Assert.DoesNotMatch(@"(?m)^FAIL ", output);
        }
        finally
        {
            await api.DisposeAsync();
            work.Delete(recursive: true);
        }
    }
}
