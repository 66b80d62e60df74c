using System.Diagnostics;
using System.Text.Json;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Support;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace AssetLedger.Infrastructure.Tests.Chains;

/// <summary>The committed contract artifact: what the C# client embeds is what the Solidity source compiles to.</summary>
public sealed class checkpoint_anchor_contract
{
    static string EvmDirectory => Path.Combine(AnvilNode.RepositoryRoot(), "chain", "evm");

    [Fact]
    public async Task the_committed_artifact_is_what_the_pinned_solc_compiles_from_the_source_now()
    {
        // Without Node.js there is nothing to compile with, and the committed artifact is all there is. scripts/test.sh
        // installs Node.js and runs 'npm ci' in chain/evm, so there this always compiles.
        if (!OnPath("node")) return;
        Assert.True(File.Exists(Path.Combine(EvmDirectory, "node_modules", "solc", "package.json")),
            "solc is not installed in chain/evm/node_modules: run 'npm ci' in chain/evm (scripts/test.sh does).");
        var compile = Process.Start(new ProcessStartInfo("node", "compile.mjs --stdout")
        {
            WorkingDirectory = EvmDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var output = compile.StandardOutput.ReadToEndAsync();
        var errors = compile.StandardError.ReadToEndAsync();
        await compile.WaitForExitAsync();

        Assert.True(compile.ExitCode == 0, await errors);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(EvmDirectory, "artifacts", "CheckpointAnchor.json")), await output);
        Assert.Equal(await output, CheckpointAnchorContract.ArtifactJson);
    }

    [Fact]
    public void the_client_calls_the_functions_and_reads_the_event_the_artifact_declares()
    {
        using var artifact = JsonDocument.Parse(CheckpointAnchorContract.ArtifactJson);
        var selectors = artifact.RootElement.GetProperty("methodIdentifiers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

        Assert.Equal(selectors["anchor(uint64,bytes32,bytes32,bytes)"], Selector<AnchorFunction>());
        Assert.Equal(selectors["rootOf(uint64)"], Selector<RootOfFunction>());
        Assert.Equal(selectors["entryOf(uint64)"], Selector<EntryOfFunction>());
        Assert.Equal(selectors["latest()"], Selector<LatestFunction>());
        Assert.Equal(selectors["owner()"], Selector<OwnerFunction>());
        Assert.Equal(selectors["count()"], Selector<CountFunction>());
        var abi = artifact.RootElement.GetProperty("abi").EnumerateArray().ToList();
        var anchored = abi.Single(e => e.GetProperty("type").GetString() == "event" && e.GetProperty("name").GetString() == "Anchored");
        Assert.Equal(["uint64", "bytes32", "bytes32", "bytes"], anchored.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal([true, false, false, false], anchored.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("indexed").GetBoolean()));
        Assert.Equal(["EmptyRoot", "NotOwner", "SizeDoesNotGrow", "WrongPrevious"],
            abi.Where(e => e.GetProperty("type").GetString() == "error").Select(e => e.GetProperty("name").GetString()).Order());
        Assert.StartsWith("0x6", CheckpointAnchorContract.Bytecode);
    }

    static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));

    static string Selector<TFunction>() where TFunction : FunctionMessage => ABITypedRegistry.GetFunctionABI<TFunction>().Sha3Signature;
}
