using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Ledger.Anchors.Fabric;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Anchors;
using static AssetLedger.Infrastructure.Tests.Ledger.Fabric.FabricTesting;

namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>
/// The whole path on a real Fabric network (scripts/fabric-network.sh): configuration → AnchorWorker → FabricAnchor →
/// the C# Gateway client over TLS → Org1's peer, whose Gateway collects the endorsements of both organisations (the
/// chaincode's policy is AND(Org1, Org2)) and orders the transaction on the Raft orderer. Every receipt is read back
/// from the chain through Org2's peer, checked offline against both MSP roots, and tampering is caught.
/// </summary>
[Collection(FabricNetworkCollection.Name)]
public sealed class fabric_anchor_on_the_network : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    readonly FabricNetwork _net = FabricNetwork.Shared;

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task every_checkpoint_is_endorsed_by_both_orgs_read_back_from_the_other_orgs_peer_and_a_lost_receipt_is_recovered_from_the_chain()
    {
        const string chaincode = "anchor-worker";
        var options = LedgerOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new TestClock(LedgerParts.T0), options);
        for (var i = 0; i < 3; i++) await Cut(l, events: 2);
        var fabric = FromConfiguration(_db, _net.Options(chaincode));
        Assert.Equal($"fabric:{_net.Channel}/{chaincode}", fabric.Name);
        var checkpoints = await l.Checkpoints.Range(0, 10, default);

        // The service sent the first checkpoint and died after its commit, before the receipt was stored with the cursor.
        var lost = await fabric.Submit(AnchorWorker.ToAnchor(checkpoints[0]), default);

        // Restarted, the worker sends all three again: the first is found on the channel and not submitted a second time
        // (the chaincode would refuse it: its size does not grow), its receipt rebuilt from the ledger's copy of the transaction.
        Assert.Equal(6, await new AnchorWorker(l.Db, [l.LocalAnchor, fabric], options).AnchorPending(default));
        var receipts = await Receipts(l.Db, fabric.Name);
        Assert.Equal([2L, 4, 6], receipts.Select(r => r.TreeSize));
        Assert.Equal(lost.TransactionReference, receipts[0].TransactionId);
        Assert.Equal(JsonDocument.Parse(lost.ProofJson).RootElement.GetProperty("envelope").GetString(), receipts[0].Proof.GetProperty("envelope").GetString());
        var blocks = receipts.Select(r => r.Proof.GetProperty("blockNumber").GetUInt64()).ToList();
        Assert.True(blocks[0] < blocks[1] && blocks[1] < blocks[2], $"blocks {string.Join(", ", blocks)} are not in the checkpoints' order");
        Assert.All(receipts, r => Assert.Equal("VALID", r.Proof.GetProperty("validationCode").GetString()));

        // Each receipt's transaction carries both organisations' peers' endorsements, each signature valid.
        foreach (var r in receipts)
        {
            var tx = FabricTransaction.Parse(Convert.FromBase64String(r.Proof.GetProperty("envelope").GetString()!));
            Assert.Equal(r.TransactionId, tx.TransactionId);
            Assert.Equal(tx.DerivedTransactionId, tx.TransactionId);
            Assert.Equal(["Org1MSP", "Org2MSP"], tx.Endorsements.Select(e => e.MspId).Order());
            Assert.All(tx.Endorsements, e => Assert.True(FabricIdentity.Verify(e.CertificatePem, [.. tx.ProposalResponsePayload, .. e.Endorser], e.Signature)));
        }

        // A verifier: offline against the checkpoints and both pinned MSP roots; online through Org2's peer (the other org's copy).
        var roots = _net.MspRoots();
        var stored = (await l.Service.Anchors(null, 0, 100, default)).Where(r => r.Anchor == fabric.Name).ToList();
        using var org2 = _net.Client(2);
        var onOrg2 = new FabricGatewayContract(org2, _net.Channel, chaincode);
        for (var i = 0; i < stored.Count; i++)
        {
            Assert.Empty(FabricReceiptCheck.Offline(stored[i], checkpoints[i], i == 0 ? "" : Convert.ToHexStringLower(checkpoints[i - 1].RootHash), roots));
            Assert.Empty(await FabricChannelCheck.Online(stored[i], onOrg2, default));
        }

        // Tampered receipts fail: another root (offline and on the channel), a block moved, an endorsement's signature changed,
        // another transaction's envelope, and roots the verifier did not pin for that organisation.
        var forged = stored[1] with { ProofJson = stored[1].ProofJson.Replace(Convert.ToHexStringLower(checkpoints[1].RootHash), new string('0', 64)) };
        Assert.Contains(FabricReceiptCheck.Offline(forged, checkpoints[1], null, roots), p => p.Contains("root is not the checkpoint's"));
        Assert.Contains(FabricReceiptCheck.Offline(forged, checkpoints[1], null, roots), p => p.Contains("the chaincode recorded another root"));
        Assert.Contains(await FabricChannelCheck.Online(forged, onOrg2, default), p => p.Contains("root "));
        Assert.Contains(await FabricChannelCheck.Online(WithProof(stored[1], p => p["blockNumber"] = 999_999), onOrg2, default), p => p.Contains("the receipt says 999999"));
        var badSignature = WithProof(stored[1], p => p["envelope"] = Convert.ToBase64String(FlipLastSignatureByte(Convert.FromBase64String(p["envelope"]!.GetValue<string>()))));
        Assert.Contains(FabricReceiptCheck.Offline(badSignature, checkpoints[1], null, roots), p => p.Contains("signature over the proposal response does not verify"));
        Assert.Contains(await FabricChannelCheck.Online(badSignature, onOrg2, default), p => p.Contains("another envelope"));
        var otherTransaction = WithProof(stored[1], p => p["envelope"] = receipts[2].Proof.GetProperty("envelope").GetString());
        Assert.Contains(FabricReceiptCheck.Offline(otherTransaction, checkpoints[1], null, roots), p => p.Contains($"not {stored[1].TransactionReference}"));
        var swapped = new Dictionary<string, string> { ["Org1MSP"] = roots["Org2MSP"], ["Org2MSP"] = roots["Org1MSP"] };
        var wrongRoots = FabricReceiptCheck.Offline(stored[1], checkpoints[1], null, swapped);
        Assert.Contains(wrongRoots, p => p.Contains("does not chain to the pinned Org1MSP root"));
        Assert.Contains(wrongRoots, p => p.Contains("no valid endorsement by a peer of Org2MSP"));
        var thirdOrg = new Dictionary<string, string>(roots) { ["Org3MSP"] = roots["Org1MSP"] };
        Assert.Contains("no valid endorsement by a peer of Org3MSP (a pinned organisation)", string.Join("\n", FabricReceiptCheck.Offline(stored[1], checkpoints[1], null, thirdOrg)));

        // The chaincode's refusal comes back with its reason (an older checkpoint cannot be slipped in).
        using var org1 = _net.Client(1);
        var refused = await Assert.ThrowsAsync<FabricGatewayException>(() => org1.Submit(_net.Channel, chaincode, "AnchorCheckpoint",
            ["3", new string('0', 64), Convert.ToHexStringLower(checkpoints[2].RootHash), "c2ln"], default));
        Assert.Contains("size 3 does not grow", refused.Message);

        // A peer whose TLS certificate does not carry the expected name is refused.
        using var wrongName = FabricGatewayClient.Connect(new Uri(_net.Endpoint(1)), await File.ReadAllTextAsync(_net.TlsCaFile(1)), "peer0.org2.example.com",
            FabricIdentity.FromFiles(_net.MspId(1), _net.UserCert(1), _net.UserKey(1)));
        await Assert.ThrowsAsync<FabricGatewayException>(() => wrongName.Evaluate(_net.Channel, chaincode, "GetLatest", [], default));
    }

    [Fact]
    public async Task a_killed_peer_and_then_a_killed_orderer_block_nothing_else_and_every_checkpoint_is_anchored_in_order_when_they_are_back()
    {
        const string chaincode = "anchor-faults";
        var options = LedgerOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new TestClock(LedgerParts.T0), options);
        var fabric = FromConfiguration(_db, _net.Options(chaincode));
        var worker = new AnchorWorker(l.Db, [l.LocalAnchor, fabric], options);
        for (var i = 0; i < 2; i++) await Cut(l, events: 1);
        Assert.Equal(4, await worker.AnchorPending(default));

        foreach (var node in new[] { "peer0.org1", "orderer" })
        {
            await _net.Stop(node);
            try
            {
                for (var i = 0; i < 2; i++) await Cut(l, events: 1);
                Assert.Equal(2, await worker.AnchorPending(default)); // the local anchor goes on alone
                var down = (await l.Service.AnchorStatuses(default)).Single(s => s.Anchor == fabric.Name);
                Assert.True(down.Failures >= 1, $"{node} down: no failure recorded");
                Assert.Contains("Fabric Gateway", down.LastError);
            }
            finally
            {
                await _net.Start(node);
            }
            await CatchUp(l, worker, fabric.Name);
        }

        var receipts = await Receipts(l.Db, fabric.Name);
        Assert.Equal([1L, 2, 3, 4, 5, 6], receipts.Select(r => r.TreeSize));
        var blocks = receipts.Select(r => r.Proof.GetProperty("blockNumber").GetUInt64()).ToList();
        Assert.Equal(blocks.Order(), blocks);
        Assert.Equal(6, blocks.Distinct().Count());
        Assert.All(receipts, r => Assert.Equal("VALID", r.Proof.GetProperty("validationCode").GetString()));
        using var org2 = _net.Client(2);
        var latest = JsonDocument.Parse(await org2.Evaluate(_net.Channel, chaincode, "GetLatest", [], default)).RootElement;
        Assert.Equal((6L, receipts[^1].TransactionId), (latest.GetProperty("size").GetInt64(), latest.GetProperty("txId").GetString()));
        var up = (await l.Service.AnchorStatuses(default)).Single(s => s.Anchor == fabric.Name);
        Assert.Equal((6L, 0, (string?)null), (up.LastAnchoredSize, up.Failures, up.LastError));
    }

    /// <summary>Runs the worker until the Fabric target holds every checkpoint (a restarted peer needs a moment for gossip and its chaincode).</summary>
    static async Task CatchUp(LedgerParts l, AnchorWorker worker, string anchor)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await Exec(l.Db, $"UPDATE anchor_cursors SET next_attempt_at = now() WHERE anchor = '{anchor}'");
            await worker.AnchorPending(default);
            var status = (await l.Service.AnchorStatuses(default)).Single(s => s.Anchor == anchor);
            var size = (await l.Checkpoints.Range(0, 1000, default))[^1].TreeSize;
            if (status.LastAnchoredSize == size) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{anchor} is at {status.LastAnchoredSize} of {size}: {status.LastError}");
            await Task.Delay(500);
        }
    }

    static AnchorReceipt WithProof(AnchorReceipt receipt, Action<JsonNode> change)
    {
        var proof = JsonNode.Parse(receipt.ProofJson)!;
        change(proof);
        return receipt with { ProofJson = proof.ToJsonString() };
    }

    /// <summary>The envelope with the last byte of its last endorsement's signature changed (the signature is the envelope's deepest last field but one).</summary>
    static byte[] FlipLastSignatureByte(byte[] envelope)
    {
        var tx = FabricTransaction.Parse(envelope);
        var signature = tx.Endorsements[^1].Signature;
        var at = envelope.AsSpan().LastIndexOf(signature);
        var copy = envelope.ToArray();
        copy[at + signature.Length - 1] ^= 1;
        return copy;
    }
}
