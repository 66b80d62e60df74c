using System.Diagnostics;
using System.Text.RegularExpressions;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>The README's curl walk-through, run verbatim against the real service, so the README cannot rot.</summary>
public sealed class readme_walkthrough(ApiServer api) : IClassFixture<ApiServer>
{
    internal static string ReadmeBlock(string name = "walkthrough")
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "README.md"))) dir = Path.GetDirectoryName(dir);
        var readme = File.ReadAllText(Path.Combine(dir!, "README.md"));
        var m = Regex.Match(readme, $@"<!-- {name}:start -->\s*```bash\n(?<code>.*?)```\s*<!-- {name}:end -->", RegexOptions.Singleline);
        Assert.True(m.Success, $"README.md has no block between <!-- {name}:start --> and <!-- {name}:end -->.");
        return m.Groups["code"].Value;
    }

    /// <summary>Runs a README script with bash -euo pipefail in <paramref name="directory"/>; asserts it exits 0 and returns what it printed.</summary>
    internal static async Task<string> RunBash(string script, IDictionary<string, string> environment, TimeSpan timeout, string? directory = null)
    {
        var psi = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory ?? "",
        };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        using var bash = Process.Start(psi)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync().WaitAsync(timeout);
        var output = await stdout;
        Assert.True(bash.ExitCode == 0, $"exit {bash.ExitCode}\n{output}\n{await stderr}");
        return output;
    }

    /// <summary>
    /// Runs a README script that starts the walk-through's witness (the built CLI, its directory and port the test's own)
    /// and stops that witness afterwards by the pid the script printed.
    /// </summary>
    internal static async Task<string> RunWithWitness(string script, Dictionary<string, string> environment, TimeSpan timeout, string directory)
    {
        environment["ASSETLEDGER"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "assetledger.dll")}";
        environment["WITNESS_DIR"] = Path.Combine(directory, "witness");
        environment["WITNESS_PORT"] = TestWitness.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        try { return await RunBash($"trap 'echo \"witness pid $!\" > witness.pid' EXIT\n{script}", environment, timeout, directory); }
        finally
        {
            var pidFile = Path.Combine(directory, "witness.pid");
            if (File.Exists(pidFile) && Regex.Match(File.ReadAllText(pidFile), @"witness pid (\d+)") is { Success: true } m)
                try { using var p = Process.GetProcessById(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)); p.Kill(); p.WaitForExit(); }
                catch (ArgumentException) { } // already gone
        }
    }

    [Fact]
    public async Task the_readme_walkthrough_takes_a_receipt_through_its_whole_life()
    {
        var work = Directory.CreateTempSubdirectory("readme-");
        string output;
        try
        {
            output = await RunWithWitness(ReadmeBlock(), new Dictionary<string, string>
            {
                ["API"] = new Uri(api.BaseAddress, "/api/v1").ToString(), ["OPERATOR_PASSWORD"] = ApiServer.OperatorPassword,
            }, TimeSpan.FromMinutes(3), work.FullName);
        }
        finally { work.Delete(recursive: true); }

        // The walk-through ends with the bundle verified against the pinned ledger key and the witness it started.
        Assert.Matches(@"(?m)^PASS witness cosignatures: checkpoint \d+ cosigned by 1 of 1 pinned witnesses", output);
        Assert.Matches(@"(?m)^VERIFIED: all \d+ checks hold\.$", output);
        var assetId = Regex.Match(output, @"^asset ([0-9a-f]{32})$", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEmpty(assetId);
        var asset = await api.Get($"/api/v1/assets/{assetId}", "buyer-b");
        Assert.Equal("Cancelled", asset.Json["status"]!.GetValue<string>());
        Assert.Equal("buyer-b", asset.Json["ownerId"]!.GetValue<string>());
        Assert.Equal("\"8\"", asset.ETag);

        string[] expected = ["asset-registered by owner-a", "asset-confirmed by wh-1", "asset-confirmed by tc-1", "asset-transferred-out by owner-a",
            "asset-returned by bank-1", "asset-transfer-offered by owner-a", "asset-transferred by buyer-b", "asset-cancelled by wh-1"];
        var history = Regex.Matches(output, @"^(\d+) (\S+ by \S+) [0-9a-f]{16}…$", RegexOptions.Multiline).Select(x => x.Groups[2].Value).ToList();
        Assert.Equal(expected, history);
        Assert.DoesNotContain("\"status\":4", output);
        Assert.DoesNotContain("\"status\":5", output);

        // The asset's evidence bundle, exported by its last owner, verifies offline with the CLI's verify command (exit code 0).
        var bundle = await api.Download($"/api/v1/evidence/assets/{assetId}?wait=20", "buyer-b");
        Assert.True(bundle.Status == System.Net.HttpStatusCode.OK, bundle.ToString());
        var path = Path.Combine(Path.GetTempPath(), $"walkthrough-{assetId}.zip");
        await File.WriteAllBytesAsync(path, bundle.Bytes);
        try
        {
            var ledgerKey = (await api.Get("/api/v1/ledger/keys", null)).Json["ledgerVerifierKey"]!.GetValue<string>();
            // (The walk-through's witness is gone by now; this run relies on the ledger key alone, on purpose.)
            var exit = await AssetLedger.Cli.CliApp.Create().Parse(["verify", path, "--ledger-key", ledgerKey, "--witness-quorum", "0"]).InvokeAsync();
            Assert.True(exit == 0, $"verify exited with {exit}:\n{Support.Evidence.Describe(AssetLedger.Ledger.Evidence.BundleVerifier.Verify(path))}");
            var report = AssetLedger.Ledger.Evidence.BundleVerifier.Verify(path);
            Assert.Contains("(8 in events.jsonl", report.Checks.Single(c => c.Name == "event hashes").Summary);
            Assert.Equal("1 asset replayed through the Domain reach the state in state.json", report.Checks.Single(c => c.Name == "replay").Summary);
        }
        finally { File.Delete(path); }
    }
}

/// <summary>
/// The README's chain section, run verbatim after the walk-through against the real service and a real Anvil: the operator
/// records a consortium, its EVM network, a contract deployed on first use and a target, activates it, and the walk-through
/// asset's evidence bundle then holds the chain's receipt, which <c>assetledger verify --online</c> reads back from the chain.
/// </summary>
public sealed class readme_chain_walkthrough
{
    [Fact]
    public async Task the_walkthrough_asset_is_anchored_on_the_chain_the_operator_records_and_verify_online_confirms_its_receipt()
    {
        await using var node = await AnvilNode.Start();
        await using var api = new ApiServer();
        await api.InitializeAsync();
        var work = Directory.CreateTempSubdirectory("readme-chains-");
        try
        {
            var output = await readme_walkthrough.RunWithWitness(readme_walkthrough.ReadmeBlock() + readme_walkthrough.ReadmeBlock("chains"), new Dictionary<string, string>
            {
                ["API"] = new Uri(api.BaseAddress, "/api/v1").ToString(), ["OPERATOR_PASSWORD"] = ApiServer.OperatorPassword,
                ["EVM_RPC"] = node.RpcUrl, ["EVM_KEY_FILE"] = node.PrivateKeyFile,
            }, TimeSpan.FromMinutes(4), work.FullName);
            Assert.DoesNotContain("\"status\":4", output);
            Assert.DoesNotContain("\"status\":5", output);

            // The receipt printed from the bundle names the contract the service deployed, on the node the test started.
            var receipt = System.Text.Json.Nodes.JsonNode.Parse(Regex.Match(output, @"^\{""treeSize"".*$", RegexOptions.Multiline).Value)!;
            Assert.Equal(AnvilNode.ChainId, receipt["chainId"]!.GetValue<long>());
            var contract = receipt["contractAddress"]!.GetValue<string>();
            var anchored = await EvmAnchorReader.ReadAnchoredRoot(node.RpcUrl, contract, receipt["treeSize"]!.GetValue<long>(), default);
            Assert.NotNull(anchored);
            var target = (await api.Get("/api/v1/chains/targets/anvil-main", "operator")).Json;
            Assert.Equal(contract, target["contractAddress"]!.GetValue<string>());
            Assert.DoesNotContain(AnvilNode.DevPrivateKey, target.ToJsonString());

            // Both runs of verify hold; the online one checked the receipt on the chain.
            Assert.Equal(3, Regex.Matches(output, @"^VERIFIED: all \d+ checks hold\.$", RegexOptions.Multiline).Count);
            Assert.Matches(@"(?m)^PASS chain receipts \(online\): ", output);
            Assert.DoesNotMatch(@"(?m)^FAIL ", output);
        }
        finally
        {
            await api.DisposeAsync();
            work.Delete(recursive: true);
        }
    }
}
