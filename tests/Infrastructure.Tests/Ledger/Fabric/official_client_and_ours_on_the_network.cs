using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Infrastructure.Ledger.Anchors.Fabric;
using AssetLedger.Ledger.Anchors;

namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>
/// The compatibility test run against the real peers too: a transaction our C# client submits through Org1's Gateway
/// is read back by the official Node client (@hyperledger/fabric-gateway, chain/fabric/compat/peer-client.js) through
/// Org2's peer, with both organisations' endorsements verified there; and a transaction the official client submits
/// through Org2's Gateway is read back by ours through Org1's peer, envelope and endorsements included.
/// </summary>
[Collection(FabricNetworkCollection.Name)]
public sealed class official_client_and_ours_on_the_network
{
    const string Chaincode = "anchor-compat";
    readonly FabricNetwork _net = FabricNetwork.Shared;

    [Fact]
    public async Task each_client_reads_the_others_transaction_from_the_other_orgs_peer_endorsed_by_both_orgs()
    {
        var root1 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var root2 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var sig = Convert.ToBase64String(RandomNumberGenerator.GetBytes(68));

        using var ours = _net.Client(1);
        var commit = await ours.Submit(_net.Channel, Chaincode, "AnchorCheckpoint", ["1", root1, "", sig], default);
        Assert.True(commit.IsValid, commit.ValidationCodeName);
        var read = await Official(2, "read-tx", commit.TransactionId);
        Assert.Equal(commit.TransactionId, read["transactionId"]!.GetValue<string>());
        Assert.Equal("VALID", read["validationCode"]!.GetValue<string>());
        Assert.Equal((long)commit.BlockNumber, read["blockNumber"]!.GetValue<long>());
        var endorsements = read["endorsements"]!.AsArray();
        Assert.Equal(["Org1MSP", "Org2MSP"], endorsements.Select(e => e!["mspId"]!.GetValue<string>()).Order());
        Assert.All(endorsements, e => Assert.True(e!["signatureValid"]!.GetValue<bool>()));
        Assert.All(endorsements, e => Assert.Contains("OU=peer", e!["subject"]!.GetValue<string>()));

        var theirs = await Official(2, "submit", Chaincode, "AnchorCheckpoint", "2", root2, root1, sig);
        Assert.Equal(0, theirs["code"]!.GetValue<int>());
        var txId = theirs["transactionId"]!.GetValue<string>();
        var status = await ours.CommitStatus(_net.Channel, txId, default);
        Assert.Equal(("VALID", (ulong)theirs["blockNumber"]!.GetValue<long>()), (status.ValidationCodeName, status.BlockNumber));
        var tx = FabricTransaction.Parse(await ours.TransactionEnvelope(_net.Channel, txId, default));
        Assert.Equal((txId, _net.Channel, Chaincode), (tx.TransactionId, tx.ChannelId, tx.ChaincodeName));
        Assert.Equal(tx.DerivedTransactionId, tx.TransactionId);
        Assert.Equal("Org2MSP", FabricTransaction.Identity(tx.Creator).MspId);
        Assert.Equal(["Org1MSP", "Org2MSP"], tx.Endorsements.Select(e => e.MspId).Order());
        Assert.All(tx.Endorsements, e => Assert.True(FabricIdentity.Verify(e.CertificatePem, [.. tx.ProposalResponsePayload, .. e.Endorser], e.Signature)));
        var latest = JsonDocument.Parse(await ours.Evaluate(_net.Channel, Chaincode, "GetLatest", [], default)).RootElement;
        Assert.Equal((2L, root2, root1, txId), (latest.GetProperty("size").GetInt64(), latest.GetProperty("root").GetString(),
            latest.GetProperty("prev").GetString(), latest.GetProperty("txId").GetString()));
        Assert.Equal(Encoding.UTF8.GetString(tx.ResponsePayload), theirs["result"]!.GetValue<string>());
    }

    async Task<JsonNode> Official(int org, params string[] args)
    {
        var folder = NodeTools.FabricFolder("compat");
        NodeTools.RequireInstalled(folder);
        var (exit, stdout, stderr) = await NodeTools.Run(folder, "node", ["peer-client.js", _net.EnvFile, org.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args], TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"peer-client.js {string.Join(' ', args)} failed ({exit}): {stderr}");
        return JsonNode.Parse(stdout)!;
    }
}
