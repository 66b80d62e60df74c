using System.Text;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Evidence;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Evidence;
using static AssetLedger.Infrastructure.Tests.Ledger.Fabric.FabricTesting;

namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>
/// Fabric receipts from the real network in evidence bundles (verified offline against pinned MSP roots, and online on
/// the other organisation's peer), and a managed chain target anchoring there under its own name.
/// </summary>
[Collection(FabricNetworkCollection.Name)]
public sealed class fabric_receipts_on_the_network : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    readonly FabricNetwork _net = FabricNetwork.Shared;

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task fabric_receipts_in_an_evidence_bundle_verify_offline_against_pinned_msp_roots_and_online_and_a_changed_one_fails_naming_it()
    {
        var options = LedgerOptions();
        // Checkpoints signed after the events the database records now, as a real cutter signs them: the verifier
        // refuses an event recorded after the checkpoint that first logged it (the recordedAt bound).
        var clock = new TestClock(DateTimeOffset.UtcNow.AddHours(1));
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), clock, options);
        for (var i = 0; i < 3; i++) await Cut(l, events: 2);
        var fabric = FromConfiguration(_db, _net.Options("anchor-bundle"));
        IAnchor[] anchors = [l.LocalAnchor, fabric];
        Assert.Equal(6, await new AnchorWorker(l.Db, anchors, options).AnchorPending(default));
        using var zip = new MemoryStream();
        await new EvidenceExporter(_db.DataSource, l.Store, l.Tree, l.Keys, anchors, clock).ExportRange(1, 6, 6, zip, default);
        var files = BundleVerifier.ReadZip(new MemoryStream(zip.ToArray()));
        static string Describe(VerificationCheck c) => $"{c.Name}: {c.Summary}\n" + string.Join("\n", c.Failures);
        var pinned = new VerifierOptions(FabricMspRoots: _net.MspRoots());

        var offline = BundleVerifier.Verify(files, pinned);
        Assert.True(offline.Ok, string.Join("\n", offline.Checks.Select(Describe)));
        var summary = offline.Checks.Single(c => c.Name == "chain receipts").Summary;
        Assert.StartsWith("0 EVM and 3 Fabric receipts name the bundle's checkpoints", summary);
        Assert.Contains("each Fabric transaction endorsed by peers of Org1MSP and Org2MSP (pinned MSP roots)", summary);
        Assert.Contains("Fabric endorsements not checked against MSP roots (none pinned: --fabric-msp-root)",
            BundleVerifier.Verify(files).Checks.Single(c => c.Name == "chain receipts").Summary);

        // Online, through Org2's peer and Org2's own identity: the other organisation's copy of the channel.
        var gateway = new FabricGatewayOptions(_net.Endpoint(2), _net.TlsCaFile(2), null, _net.MspId(2), _net.UserCert(2), _net.UserKey(2));
        var online = await OnlineReceiptChecker.Check(files, new OnlineOptions([], TimeSpan.FromSeconds(10), gateway), default);
        Assert.True(online.Passed, Describe(online));
        Assert.StartsWith("3 Fabric receipts: the channel holds each checkpoint under the receipt's transaction", online.Summary);

        // The last receipt's root changed in anchors.json: named offline (against the checkpoint and its own envelope) and online.
        var anchorsJson = System.Text.Json.Nodes.JsonNode.Parse(files[BundleFormat.Anchors])!;
        var list = anchorsJson["receipts"]!.AsArray();
        var index = list.Select((r, i) => (r, i)).Single(x => x.r!["anchor"]!.GetValue<string>() == fabric.Name && x.r["treeSize"]!.GetValue<long>() == 6).i;
        var root = list[index]!["proof"]!["root"]!.GetValue<string>();
        var forged = root[..^1] + (root[^1] == '0' ? '1' : '0');
        list[index]!["proof"]!["root"] = forged;
        var tampered = new Dictionary<string, byte[]>(files) { [BundleFormat.Anchors] = Encoding.UTF8.GetBytes(anchorsJson.ToJsonString()) };
        var where = $"anchors.json receipt {index + 1} ({fabric.Name}, checkpoint 6)";
        var failures = BundleVerifier.Verify(tampered, pinned).Checks.Single(c => c.Name == "chain receipts").Failures;
        Assert.Contains($"{where}: the anchored root is not the checkpoint's", failures);
        Assert.Contains($"{where}: the chaincode recorded another root", failures);
        var onChannel = await OnlineReceiptChecker.Check(tampered, new OnlineOptions([], TimeSpan.FromSeconds(10), gateway), default);
        Assert.Equal($"{where} on the channel: root {root}, the receipt says {forged}", Assert.Single(onChannel.Failures));

        // The envelope dropped: nothing left to show who endorsed it, which fails once roots are pinned.
        list[index]!["proof"]!["root"] = root;
        list[index]!["proof"]!.AsObject().Remove("envelope");
        var bare = new Dictionary<string, byte[]>(files) { [BundleFormat.Anchors] = Encoding.UTF8.GetBytes(anchorsJson.ToJsonString()) };
        Assert.Equal($"{where}: the receipt carries no transaction envelope, so its endorsements cannot be checked against the pinned MSP roots",
            Assert.Single(BundleVerifier.Verify(bare, pinned).Checks.Single(c => c.Name == "chain receipts").Failures));
    }

    [Fact]
    public async Task a_managed_target_with_the_networks_tls_root_in_its_record_anchors_under_its_own_name()
    {
        var options = LedgerOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new TestClock(LedgerParts.T0), options);
        for (var i = 0; i < 2; i++) await Cut(l, events: 1);
        var o = _net.Options("anchor-managed");
        var target = new AnchorTargetDefinition("consortium-fabric", "fabric", 3, null, new FabricTargetDefinition(
            o.Endpoint!, await File.ReadAllTextAsync(o.TlsRootCertFile!), null, null, o.MspId!, o.CertificateFile!, o.PrivateKeyFile!, o.Channel!, o.Chaincode));
        var worker = new AnchorWorker(l.Db, new AnchorTargets([l.LocalAnchor], new FixedTargets(target)), options,
            new AnchorTargetFactory(l.Db, new TestClock(LedgerParts.T0)));

        Assert.Equal(4, await worker.AnchorPending(default));

        var receipts = await Receipts(l.Db, "consortium-fabric");
        Assert.Equal([1L, 2], receipts.Select(r => r.TreeSize));
        Assert.All(receipts, r => Assert.Equal("VALID", r.Proof.GetProperty("validationCode").GetString()));
        Assert.All(receipts, r => Assert.Equal(_net.Channel, r.Proof.GetProperty("channel").GetString()));
        Assert.All(receipts, r => Assert.Equal("anchor-managed", r.Proof.GetProperty("chaincode").GetString()));
        Assert.All(receipts, r => Assert.False(string.IsNullOrEmpty(r.Proof.GetProperty("envelope").GetString())));
    }

    sealed class FixedTargets(params AnchorTargetDefinition[] targets) : IAnchorTargetSource
    {
        public Task<IReadOnlyList<AnchorTargetDefinition>> ActiveTargets(CancellationToken ct) => Task.FromResult<IReadOnlyList<AnchorTargetDefinition>>(targets);
    }
}
