using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Evidence;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Ledger.Anchors.Fabric;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Evidence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>
/// The whole path over real gRPC: configuration → FabricAnchor → C# Gateway client (TLS with a private root and a
/// server-name override, as against the fabric-samples test network) → a Gateway double running the real chaincode
/// (chain/fabric/compat/gateway-double.js, official service definition and messages, checking every signature).
/// Driven by the AnchorWorker on PostgreSQL, beside the local anchor.
/// </summary>
public sealed class fabric_anchor_over_grpc : IAsyncLifetime
{
    const string ServerName = "peer0.org1.example.com";
    readonly PostgresDatabase _db = new();
    readonly string _dir = Directory.CreateTempSubdirectory("fabric-e2e-").FullName;

    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task the_worker_anchors_over_tls_and_a_lost_receipt_is_recovered_from_the_chain_without_a_second_transaction()
    {
        var (caFile, serverCertPem, serverKeyPem) = TlsFiles();
        await using var peer = await GatewayDouble.Start(serverCertPem, serverKeyPem);
        var options = LedgerOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new TestClock(LedgerParts.T0), options);
        for (var i = 0; i < 3; i++) await Cut(l, events: 2);

        var fabric = FabricAnchorFromConfiguration($"https://127.0.0.1:{peer.Port}", caFile);
        Assert.Equal("fabric:mychannel/checkpoint-anchor", fabric.Name);
        var checkpoints = await l.Checkpoints.Range(0, 10, default);

        // The service sent the first checkpoint and died after its commit, before the receipt was stored with the cursor.
        var lost = await fabric.Submit(AnchorWorker.ToAnchor(checkpoints[0]), default);
        Assert.Equal(1, (await peer.Stats()).GetProperty("requests").GetProperty("Endorse").GetInt32());

        // Restarted, the worker sends all three again: the first is found on the channel and not submitted a second time.
        var worker = new AnchorWorker(l.Db, [l.LocalAnchor, fabric], options);
        Assert.Equal(6, await worker.AnchorPending(default));
        var stats = await peer.Stats();
        Assert.Equal(3, stats.GetProperty("requests").GetProperty("Endorse").GetInt32());
        Assert.Equal(3, stats.GetProperty("blockNumber").GetInt32());

        var receipts = await Receipts(fabric.Name);
        Assert.Equal([2L, 4, 6], receipts.Select(r => r.TreeSize));
        Assert.Equal(lost.TransactionReference, receipts[0].TransactionId);
        Assert.Equal([1UL, 2, 3], receipts.Select(r => r.Proof.GetProperty("blockNumber").GetUInt64()));
        Assert.All(receipts, r => Assert.Equal("VALID", r.Proof.GetProperty("validationCode").GetString()));
        Assert.All(receipts, r => Assert.Equal(r.TransactionId, r.Proof.GetProperty("transactionId").GetString()));

        // What the channel holds is the ledger's checkpoints, each with the transaction of its receipt.
        using var client = FabricGatewayClient.Connect(new Uri($"https://127.0.0.1:{peer.Port}"), await File.ReadAllTextAsync(caFile), ServerName, Identity());
        foreach (var (receipt, checkpoint) in receipts.Zip(checkpoints))
        {
            var held = JsonDocument.Parse(await client.Evaluate("mychannel", "checkpoint-anchor", "GetCheckpoint", [receipt.TreeSize.ToString()], default)).RootElement;
            Assert.Equal(Convert.ToHexStringLower(checkpoint.RootHash), held.GetProperty("root").GetString());
            Assert.Equal(receipt.TransactionId, held.GetProperty("txId").GetString());
            Assert.Equal(FabricAnchorProof.LedgerSignature(checkpoint.Note), held.GetProperty("sig").GetString());
        }
        var latest = JsonDocument.Parse(await client.Evaluate("mychannel", "checkpoint-anchor", "GetLatest", [], default)).RootElement;
        Assert.Equal(Convert.ToHexStringLower(checkpoints[1].RootHash), latest.GetProperty("prev").GetString());

        // A verifier's checks of the receipts: offline against the checkpoints, online against the channel.
        var contract = new FabricGatewayContract(client, "mychannel", "checkpoint-anchor");
        var stored = (await l.Service.Anchors(null, 0, 100, default)).Where(r => r.Anchor == fabric.Name).ToList();
        Assert.Equal(3, stored.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            Assert.Empty(FabricReceiptCheck.Offline(stored[i], checkpoints[i], i == 0 ? "" : Convert.ToHexStringLower(checkpoints[i - 1].RootHash)));
            Assert.Empty(await FabricChannelCheck.Online(stored[i], contract, default));
        }
        var forged = stored[1] with { ProofJson = stored[1].ProofJson.Replace(Convert.ToHexStringLower(checkpoints[1].RootHash), new string('0', 64)) };
        Assert.Contains(FabricReceiptCheck.Offline(forged, checkpoints[1], null), p => p.Contains("root is not the checkpoint's"));
        Assert.Contains(await FabricChannelCheck.Online(forged, contract, default), p => p.Contains("root "));
        var moved = System.Text.Json.Nodes.JsonNode.Parse(stored[1].ProofJson)!;
        moved["blockNumber"] = 9;
        var otherBlock = stored[1] with { ProofJson = moved.ToJsonString() };
        Assert.Contains(await FabricChannelCheck.Online(otherBlock, contract, default), p => p.Contains("in block 2, the receipt says 9"));
        Assert.Contains(FabricReceiptCheck.Offline(stored[2], checkpoints[1], null), p => p.Contains("not 4"));

        // The chaincode's refusal comes back as an error with its reason (an older checkpoint cannot be slipped in).
        var refused = await Assert.ThrowsAsync<FabricGatewayException>(() => client.Submit("mychannel", "checkpoint-anchor", "AnchorCheckpoint",
            ["3", new string('0', 64), Convert.ToHexStringLower(checkpoints[2].RootHash), "c2ln"], default));
        Assert.Contains("size 3 does not grow", refused.Message);

        // A peer whose TLS certificate does not carry the expected name is refused.
        using var wrongName = FabricGatewayClient.Connect(new Uri($"https://127.0.0.1:{peer.Port}"), await File.ReadAllTextAsync(caFile), "peer1.org2.example.com", Identity());
        await Assert.ThrowsAsync<FabricGatewayException>(() => wrongName.Evaluate("mychannel", "checkpoint-anchor", "GetLatest", [], default));
    }

    [Fact]
    public async Task a_killed_peer_blocks_nothing_else_and_the_anchor_catches_up_in_order_when_it_is_back()
    {
        var state = Path.Combine(_dir, "peer-state.json");
        var options = LedgerOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new TestClock(LedgerParts.T0), options);
        var peer = await GatewayDouble.Start(null, null, state);
        var port = peer.Port;
        var fabric = FabricAnchorFromConfiguration($"http://127.0.0.1:{port}", tlsRoot: null);
        var worker = new AnchorWorker(l.Db, [l.LocalAnchor, fabric], options);
        try
        {
            for (var i = 0; i < 2; i++) await Cut(l, events: 1);
            Assert.Equal(4, await worker.AnchorPending(default));

            await peer.Kill();
            for (var i = 0; i < 3; i++) await Cut(l, events: 1);
            Assert.Equal(3, await worker.AnchorPending(default)); // the local anchor goes on alone
            var down = (await l.Service.AnchorStatuses(default)).Single(s => s.Anchor == fabric.Name);
            Assert.Equal((2L, 1), (down.LastAnchoredSize, down.Failures));
            Assert.Contains("Fabric Gateway", down.LastError);

            await peer.DisposeAsync();
            peer = await GatewayDouble.Start(null, null, state, port);
            var anchored = 0;
            for (var attempt = 0; attempt < 20 && anchored < 3; attempt++)
            {
                await Exec($"UPDATE anchor_cursors SET next_attempt_at = now() WHERE anchor = '{fabric.Name}'");
                anchored += await worker.AnchorPending(default);
                if (anchored < 3) await Task.Delay(250);
            }
            Assert.Equal(3, anchored);
        }
        finally
        {
            await peer.DisposeAsync();
        }
        var receipts = await Receipts(fabric.Name);
        Assert.Equal([1L, 2, 3, 4, 5], receipts.Select(r => r.TreeSize));
        Assert.Equal([1UL, 2, 3, 4, 5], receipts.Select(r => r.Proof.GetProperty("blockNumber").GetUInt64()));
        Assert.Equal(5, receipts.Select(r => r.TransactionId).Distinct().Count());
        var up = (await l.Service.AnchorStatuses(default)).Single(s => s.Anchor == fabric.Name);
        Assert.Equal((5L, 0, (string?)null), (up.LastAnchoredSize, up.Failures, up.LastError));
    }

    [Fact]
    public async Task fabric_receipts_in_an_evidence_bundle_verify_offline_and_online_on_the_channel_and_a_changed_one_fails_naming_it()
    {
        var (caFile, serverCertPem, serverKeyPem) = TlsFiles();
        await using var peer = await GatewayDouble.Start(serverCertPem, serverKeyPem);
        var options = LedgerOptions();
        var clock = new TestClock(LedgerParts.T0);
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), clock, options);
        for (var i = 0; i < 3; i++) await Cut(l, events: 2);
        var fabric = FabricAnchorFromConfiguration($"https://127.0.0.1:{peer.Port}", caFile);
        IAnchor[] anchors = [l.LocalAnchor, fabric];
        Assert.Equal(6, await new AnchorWorker(l.Db, anchors, options).AnchorPending(default));
        using var zip = new MemoryStream();
        await new EvidenceExporter(_db.DataSource, l.Store, l.Tree, l.Keys, anchors, clock).ExportRange(1, 6, 6, zip, default);
        var files = BundleVerifier.ReadZip(new MemoryStream(zip.ToArray()));
        static string Describe(VerificationCheck c) => $"{c.Name}: {c.Summary}\n" + string.Join("\n", c.Failures);

        var offline = BundleVerifier.Verify(files);
        Assert.True(offline.Ok, string.Join("\n", offline.Checks.Select(Describe)));
        Assert.StartsWith("0 EVM and 3 Fabric receipts name the bundle's checkpoints", offline.Checks.Single(c => c.Name == "chain receipts").Summary);

        var (signcerts, keystore) = ClientMsp();
        var gateway = new FabricGatewayOptions($"https://127.0.0.1:{peer.Port}", caFile, ServerName, "Org1MSP", signcerts, keystore);
        var online = await OnlineReceiptChecker.Check(files, new OnlineOptions([], TimeSpan.FromSeconds(5), gateway), default);
        Assert.True(online.Passed, Describe(online));
        Assert.StartsWith("3 Fabric receipts: the channel holds each checkpoint under the receipt's transaction", online.Summary);
        var noGateway = await OnlineReceiptChecker.Check(files, new OnlineOptions([]), default);
        Assert.True(noGateway.Passed, Describe(noGateway));
        Assert.Equal("not checked online: 3 Fabric receipts (no Fabric gateway configured)", noGateway.Summary);

        // The last receipt's root changed in anchors.json: named offline (against the checkpoint) and online (against the channel).
        var anchorsJson = System.Text.Json.Nodes.JsonNode.Parse(files[BundleFormat.Anchors])!;
        var list = anchorsJson["receipts"]!.AsArray();
        var index = list.Select((r, i) => (r, i)).Single(x => x.r!["anchor"]!.GetValue<string>() == fabric.Name && x.r["treeSize"]!.GetValue<long>() == 6).i;
        var root = list[index]!["proof"]!["root"]!.GetValue<string>();
        var forged = root[..^1] + (root[^1] == '0' ? '1' : '0');
        list[index]!["proof"]!["root"] = forged;
        var tampered = new Dictionary<string, byte[]>(files) { [BundleFormat.Anchors] = Encoding.UTF8.GetBytes(anchorsJson.ToJsonString()) };
        var where = $"anchors.json receipt {index + 1} ({fabric.Name}, checkpoint 6)";
        Assert.Contains($"{where}: the anchored root is not the checkpoint's", BundleVerifier.Verify(tampered).Checks.Single(c => c.Name == "chain receipts").Failures);
        var onChannel = await OnlineReceiptChecker.Check(tampered, new OnlineOptions([], TimeSpan.FromSeconds(5), gateway), default);
        Assert.Equal($"{where} on the channel: root {root}, the receipt says {forged}", Assert.Single(onChannel.Failures));

        // A managed target's receipt carries the target's own name, and holds; a fabric:… name of another channel does not.
        string Renamed(string name)
        {
            var renamed = System.Text.Json.Nodes.JsonNode.Parse(files[BundleFormat.Anchors])!;
            renamed["receipts"]![index]!["anchor"] = name;
            var report = BundleVerifier.Verify(new Dictionary<string, byte[]>(files) { [BundleFormat.Anchors] = Encoding.UTF8.GetBytes(renamed.ToJsonString()) });
            return string.Join("\n", report.Checks.Single(c => c.Name == "chain receipts").Failures);
        }
        Assert.Equal("", Renamed("consortium-fabric"));
        Assert.Equal($"anchors.json receipt {index + 1} (fabric:otherchannel/checkpoint-anchor, checkpoint 6): the anchor's name is not fabric:<channel>/<chaincode> of its proof",
            Renamed("fabric:otherchannel/checkpoint-anchor"));

        // A gateway that is down: each Fabric receipt fails with the reason, nothing throws.
        var down = await OnlineReceiptChecker.Check(files, new OnlineOptions([], TimeSpan.FromSeconds(5),
            gateway with { Endpoint = $"http://127.0.0.1:{AnvilNode.FreePort()}", TlsRootCertFile = null }), default);
        Assert.Equal(3, down.Failures.Count);
        Assert.All(down.Failures, f => Assert.Contains("asking the Fabric gateway http://127.0.0.1:", f));
    }

    [Fact]
    public async Task a_managed_target_with_the_networks_tls_root_in_its_record_anchors_under_its_own_name()
    {
        var (caFile, serverCertPem, serverKeyPem) = TlsFiles();
        await using var peer = await GatewayDouble.Start(serverCertPem, serverKeyPem);
        var options = LedgerOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new TestClock(LedgerParts.T0), options);
        for (var i = 0; i < 2; i++) await Cut(l, events: 1);
        var (signcerts, keystore) = ClientMsp();
        var target = new AnchorTargetDefinition("consortium-fabric", "fabric", 3, null, new FabricTargetDefinition(
            $"https://127.0.0.1:{peer.Port}", await File.ReadAllTextAsync(caFile), null, ServerName, "Org1MSP", signcerts, keystore, "mychannel", "checkpoint-anchor"));
        var worker = new AnchorWorker(l.Db, new AnchorTargets([l.LocalAnchor], new FixedTargets(target)), options,
            new AnchorTargetFactory(l.Db, new TestClock(LedgerParts.T0)));

        Assert.Equal(4, await worker.AnchorPending(default));

        var receipts = await Receipts("consortium-fabric");
        Assert.Equal([1L, 2], receipts.Select(r => r.TreeSize));
        Assert.All(receipts, r => Assert.Equal("VALID", r.Proof.GetProperty("validationCode").GetString()));
        Assert.All(receipts, r => Assert.Equal("mychannel", r.Proof.GetProperty("channel").GetString()));
        Assert.Equal(2, (await peer.Stats()).GetProperty("blockNumber").GetInt32());
    }

    sealed class FixedTargets(params AnchorTargetDefinition[] targets) : IAnchorTargetSource
    {
        public Task<IReadOnlyList<AnchorTargetDefinition>> ActiveTargets(CancellationToken ct) => Task.FromResult<IReadOnlyList<AnchorTargetDefinition>>(targets);
    }

    static LedgerOptions LedgerOptions() => new()
    {
        CheckpointEveryLeaves = 1, CheckpointInterval = TimeSpan.FromHours(1), AnchorRetryAttempts = 1, AnchorRetryDelay = TimeSpan.FromMilliseconds(10),
    };

    static async Task Cut(LedgerParts l, int events)
    {
        await l.AppendEvents(events);
        await l.Builder.CatchUp(default);
        Assert.NotNull(await l.Cutter.CutNow(default));
    }

    /// <summary>Registered as the service registers it: AddFabricAnchor over the AssetLedger:Chains:Fabric section.</summary>
    IAnchor FabricAnchorFromConfiguration(string endpoint, string? tlsRoot)
    {
        var (signcerts, keystore) = ClientMsp();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AssetLedger:Chains:Fabric:Endpoint"] = endpoint,
            ["AssetLedger:Chains:Fabric:TlsRootCertFile"] = tlsRoot,
            ["AssetLedger:Chains:Fabric:TlsServerName"] = ServerName,
            ["AssetLedger:Chains:Fabric:MspId"] = "Org1MSP",
            ["AssetLedger:Chains:Fabric:CertificateFile"] = signcerts,
            ["AssetLedger:Chains:Fabric:PrivateKeyFile"] = keystore,
            ["AssetLedger:Chains:Fabric:Channel"] = "mychannel",
            ["AssetLedger:Chains:Fabric:CommitTimeout"] = "00:00:10",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(_db.DataSource);
        services.AddSingleton<IClock>(new TestClock(LedgerParts.T0));
        services.AddFabricAnchor(configuration.GetSection("AssetLedger:Chains:Fabric"));
        return services.BuildServiceProvider().GetServices<IAnchor>().Single();
    }

    /// <summary>An MSP-like folder for the client: signcerts/cert.pem and keystore/priv_sk (made once per test).</summary>
    (string Signcerts, string Keystore) ClientMsp()
    {
        var signcerts = Path.Combine(_dir, "msp", "signcerts");
        var keystore = Path.Combine(_dir, "msp", "keystore");
        if (!Directory.Exists(signcerts))
        {
            Directory.CreateDirectory(signcerts);
            Directory.CreateDirectory(keystore);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            File.WriteAllText(Path.Combine(signcerts, "cert.pem"), official_client_agrees_with_ours.SelfSignedCertificatePem(key, "User1@org1.example.com"));
            File.WriteAllText(Path.Combine(keystore, "priv_sk"), key.ExportPkcs8PrivateKeyPem());
        }
        return (signcerts, keystore);
    }

    FabricIdentity Identity()
    {
        var (signcerts, keystore) = ClientMsp();
        return FabricIdentity.FromFiles("Org1MSP", signcerts, keystore);
    }

    /// <summary>A TLS CA and a peer certificate it issued for <see cref="ServerName"/> (the address dialled is 127.0.0.1).</summary>
    (string CaFile, string ServerCertPem, string ServerKeyPem) TlsFiles()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=tlsca.org1.example.com, O=org1.example.com", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest($"CN={ServerName}", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(ServerName);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));

        var caFile = Path.Combine(_dir, "tlsca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem() + "\n");
        return (caFile, server.ExportCertificatePem() + "\n", serverKey.ExportPkcs8PrivateKeyPem());
    }

    async Task Exec(string sql)
    {
        await using var cmd = _db.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    async Task<List<(long TreeSize, string TransactionId, JsonElement Proof)>> Receipts(string anchor)
    {
        await using var cmd = _db.DataSource.CreateCommand("SELECT tree_size, transaction_ref, proof::text FROM anchor_receipts WHERE anchor = $1 ORDER BY tree_size");
        cmd.Parameters.Add(new NpgsqlParameter { Value = anchor });
        var list = new List<(long, string, JsonElement)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) list.Add((r.GetInt64(0), r.GetString(1), JsonDocument.Parse(r.GetString(2)).RootElement.Clone()));
        return list;
    }
}
