using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Evidence;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Ledger;
using AssetLedger.Infrastructure.Tests.Ledger.Fabric;
using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Cli.Tests;

/// <summary>
/// <c>assetledger verify [--online --evm-rpc URL] bundle.zip</c> as a process (the built CLI, its output and exit code),
/// on a bundle of a real ledger anchored on a real Anvil node.
/// </summary>
public sealed class verifying_chain_receipts_online : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    readonly string _bundle = Path.Combine(Path.GetTempPath(), $"evm-bundle-{Guid.NewGuid():N}.zip");
    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        File.Delete(_bundle);
        await _db.DisposeAsync();
    }

    sealed record Result(int Exit, string Out, string Err)
    {
        public override string ToString() => $"exit {Exit}\n{Out}\n{Err}";
    }

    static async Task<Result> Verify(string? evmRpcVariable, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "assetledger.dll"));
        start.ArgumentList.Add("verify");
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var a in Pins(args[^1])) start.ArgumentList.Add(a);
        start.Environment.Remove("ASSETLEDGER_EVM_RPC");
        if (evmRpcVariable is not null) start.Environment["ASSETLEDGER_EVM_RPC"] = evmRpcVariable;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// The trust policy of the person verifying, who knows the ledger it set up: its ledger key, no witness on purpose, and
    /// the chain identity the receipts must name (these tests are about asking the chains; pinning has its own tests).
    /// </summary>
    static IEnumerable<string> Pins(string bundle)
    {
        if (!File.Exists(bundle)) yield break;
        Dictionary<string, byte[]> files;
        try { files = AssetLedger.Ledger.Evidence.BundleVerifier.ReadZip(File.OpenRead(bundle)); }
        catch (InvalidDataException) { yield break; }
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(files["manifest.json"])!;
        yield return "--ledger-key";
        yield return manifest["keys"]!["ledger"]!.GetValue<string>();
        yield return "--witness-quorum";
        yield return "0";
        foreach (var r in System.Text.Json.Nodes.JsonNode.Parse(files["anchors.json"])!["receipts"]!.AsArray())
        {
            var proof = r!["proof"]!;
            if (proof["chainId"] is { } chainId)
            {
                foreach (var a in new[] { "--evm-chain-id", chainId.ToJsonString(), "--evm-contract", proof["contractAddress"]!.GetValue<string>() }) yield return a;
                yield break;
            }
            if (proof["channel"] is { } channel)
            {
                foreach (var a in new[] { "--fabric-channel", channel.GetValue<string>(), "--fabric-chaincode", proof["chaincode"]!.GetValue<string>() }) yield return a;
                yield break;
            }
        }
    }

    [Fact]
    public async Task verify_online_against_the_anvil_that_holds_the_receipts_prints_pass_and_exits_0_and_a_dead_endpoint_fails_without_a_crash()
    {
        await using var node = await AnvilNode.Start();
        await using (var ledger = await EvmLedger.Anchored(_db.DataSource, node, checkpoints: 3))
            await File.WriteAllBytesAsync(_bundle, await ledger.Export());

        var online = await Verify(null, "--online", "--evm-rpc", node.RpcUrl, _bundle);
        Assert.True(online.Exit == 0, online.ToString());
        Assert.Contains("PASS chain receipts: 3 EVM and 0 Fabric receipts name the bundle's checkpoints", online.Out);
        Assert.Contains("PASS chain receipts (online): 3 EVM receipts: the chain holds each checkpoint's root, with the receipt's block, transaction and log index", online.Out);
        Assert.Contains("VERIFIED: all 22 checks hold.", online.Out);

        // The endpoint from ASSETLEDGER_EVM_RPC, for its chain id.
        var fromVariable = await Verify($"31337={node.RpcUrl}", "--online", _bundle);
        Assert.True(fromVariable.Exit == 0, fromVariable.ToString());
        Assert.Contains("PASS chain receipts (online)", fromVariable.Out);

        // Without --online: offline only, whatever the variable says.
        var offline = await Verify($"http://127.0.0.1:{AnvilNode.FreePort()}", _bundle);
        Assert.True(offline.Exit == 0, offline.ToString());
        Assert.DoesNotContain("(online)", offline.Out);
        Assert.Contains("VERIFIED: all 21 checks hold.", offline.Out);

        // An endpoint nothing listens on: the online check fails with the reason; exit 1, no stack trace.
        var deadUrl = $"http://127.0.0.1:{AnvilNode.FreePort()}";
        var dead = await Verify(null, "--online", "--evm-rpc", deadUrl, _bundle);
        Assert.True(dead.Exit == 1, dead.ToString());
        Assert.Contains("FAIL chain receipts (online): 3 failed", dead.Out);
        Assert.Contains($"not checked online: {deadUrl} did not answer eth_chainId", dead.Out);
        Assert.Contains("NOT VERIFIED: 1 of 22 checks failed (chain receipts (online)).", dead.Out);
        Assert.DoesNotContain("   at ", dead.Out + dead.Err);

        // Online with no endpoint at all: not checked, so not verified.
        var none = await Verify(null, "--online", _bundle);
        Assert.True(none.Exit == 1, none.ToString());
        Assert.Contains("not checked online: no endpoint for chain 31337", none.Out);

        // Usage errors: an endpoint without --online, and an endpoint that is not a URL.
        var withoutOnline = await Verify(null, "--evm-rpc", node.RpcUrl, _bundle);
        Assert.True(withoutOnline.Exit == 2, withoutOnline.ToString());
        Assert.Contains("--evm-rpc is for --online verification", withoutOnline.Out);
        var notUrl = await Verify(null, "--online", "--evm-rpc", "31337=localhost", _bundle);
        Assert.True(notUrl.Exit == 2, notUrl.ToString());
    }

    [Fact]
    public async Task verify_checks_fabric_endorsements_against_pinned_msp_roots_offline_and_the_receipts_on_the_other_orgs_peer_online()
    {
        // The real network scripts/test.sh brings up; this test anchors on a chaincode name of its own.
        var net = FabricNetwork.Shared;
        var options = new LedgerOptions { CheckpointEveryLeaves = 1, CheckpointInterval = TimeSpan.FromHours(1), AnchorRetryAttempts = 1, AnchorRetryDelay = TimeSpan.FromMilliseconds(10) };
        var clock = new SystemClock();
        await using (var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), clock, options))
        {
            var fabric = FabricAnchorRegistration.CreateFabricAnchor(net.Options("anchor-cli"), _db.DataSource, clock);
            for (var i = 0; i < 2; i++)
            {
                await l.AppendEvents(2);
                await l.Builder.CatchUp(default);
                await l.Cutter.CutNow(default);
            }
            IAnchor[] anchors = [l.LocalAnchor, fabric];
            var worker = new AnchorWorker(l.Db, anchors, options);
            // Another test assembly may be restarting the network's peer or orderer right now: retry as the service would.
            var anchored = 0;
            for (var attempt = 0; attempt < 60 && anchored < 4; attempt++)
            {
                await using (var retry = _db.DataSource.CreateCommand("UPDATE anchor_cursors SET next_attempt_at = now()")) await retry.ExecuteNonQueryAsync();
                anchored += await worker.AnchorPending(default);
                if (anchored < 4) await Task.Delay(1000);
            }
            Assert.Equal(4, anchored);
            await using var file = File.Create(_bundle);
            await new EvidenceExporter(_db.DataSource, l.Store, l.Tree, l.Keys, anchors, clock).ExportRange(1, 4, 4, file, default);
        }
        string[] pinned = ["--fabric-msp-root", $"Org1MSP={net["ORG1_MSP_CA"]}", "--fabric-msp-root", $"Org2MSP={net["ORG2_MSP_CA"]}"];

        var offline = await Verify(null, [.. pinned, _bundle]);
        Assert.True(offline.Exit == 0, offline.ToString());
        Assert.Contains("PASS chain receipts: 0 EVM and 2 Fabric receipts name the bundle's checkpoints", offline.Out);
        Assert.Contains("each Fabric transaction endorsed by peers of Org1MSP and Org2MSP (pinned MSP roots)", offline.Out);

        // Org2's root pinned as Org1's: no receipt shows an endorsement by a peer that root issued.
        var wrong = await Verify(null, "--fabric-msp-root", $"Org1MSP={net["ORG2_MSP_CA"]}", _bundle);
        Assert.True(wrong.Exit == 1, wrong.ToString());
        Assert.Contains("the endorser's certificate does not chain to the pinned Org1MSP root", wrong.Out);
        Assert.Contains("no valid endorsement by a peer of Org1MSP (a pinned organisation)", wrong.Out);
        var badPair = await Verify(null, "--fabric-msp-root", "Org1MSP", _bundle);
        Assert.True(badPair.Exit == 2, badPair.ToString());
        Assert.Contains("'Org1MSP' is not <MSP id>=<PEM file>", badPair.Out);

        // Online through Org2's peer, as Org2's user: the other organisation's copy of the channel.
        var gateway = net.Endpoint(2);
        var online = await Verify(null, [.. pinned, "--online", "--fabric-gateway", gateway, "--fabric-tls-ca", net.TlsCaFile(2), "--fabric-msp-id", net.MspId(2),
            "--fabric-cert", net.UserCert(2), "--fabric-key", net.UserKey(2), _bundle]);
        Assert.True(online.Exit == 0, online.ToString());
        Assert.Contains($"PASS chain receipts (online): 2 Fabric receipts: the channel holds each checkpoint under the receipt's transaction, committed VALID in the receipt's block (gateway {gateway})", online.Out);

        var withoutGateway = await Verify(null, "--online", _bundle);
        Assert.True(withoutGateway.Exit == 0, withoutGateway.ToString());
        Assert.Contains("PASS chain receipts (online): not checked online: 2 Fabric receipts (no Fabric gateway configured)", withoutGateway.Out);

        var incomplete = await Verify(null, "--online", "--fabric-gateway", gateway, "--fabric-msp-id", "Org2MSP", _bundle);
        Assert.True(incomplete.Exit == 2, incomplete.ToString());
        Assert.Contains("--fabric-gateway needs --fabric-cert, --fabric-key, --fabric-tls-ca", incomplete.Out);
        var offlineWithGateway = await Verify(null, "--fabric-gateway", gateway, _bundle);
        Assert.True(offlineWithGateway.Exit == 2, offlineWithGateway.ToString());
    }
}
