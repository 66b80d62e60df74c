using System.Net;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>An EVM chain configured as an anchor target beside the local anchor, seen over HTTP.</summary>
public sealed class chain_anchors_over_http
{
    static Dictionary<string, string> EvmTarget(string rpcUrl, string keyFile) => new()
    {
        ["AssetLedger:Chains:Evm:RpcUrl"] = rpcUrl,
        ["AssetLedger:Chains:Evm:ChainId"] = AnvilNode.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AssetLedger:Chains:Evm:PrivateKeyFile"] = keyFile,
        ["AssetLedger:Chains:Evm:RpcTimeout"] = "00:00:01",
        ["AssetLedger:Ledger:AnchorDegradedAfter"] = "00:00:01",
        ["AssetLedger:Ledger:AnchorMaxBackoff"] = "00:00:00.500",
    };

    static async Task<JsonNode> Until(Func<Task<JsonNode>> read, Func<JsonNode, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var node = await read();
            if (done(node)) return node;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 30 s for {what}; last: {node.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    static JsonNode? Target(JsonNode anchors, string name) => anchors["targets"]!.AsArray().SingleOrDefault(t => t!["anchor"]!.GetValue<string>() == name);

    [Fact]
    public async Task a_chain_that_is_down_makes_health_degraded_not_unavailable_while_commands_and_the_local_anchor_go_on()
    {
        var keyFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(keyFile, AnvilNode.DevPrivateKey);
        await using var api = new ApiServer { Settings = EvmTarget($"http://127.0.0.1:{AnvilNode.FreePort()}", keyFile) };
        await api.InitializeAsync();
        try
        {
            var created = await api.Post("/api/v1/participants", "operator", new { id = "wh-9", name = "Tank farm nine", roles = new[] { "Warehouse" } });
            Assert.Equal(HttpStatusCode.Created, created.Status);

            var health = await Until(async () => (await api.Get("/health/ready", null)).Json, h => h["status"]!.GetValue<string>() == "degraded", "a degraded health");
            var ready = await api.Get("/health/ready", null);
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            var evmHealth = health["anchors"]!.AsArray().Single(a => a!["anchor"]!.GetValue<string>() == "evm:31337")!;
            Assert.Equal("degraded", evmHealth["status"]!.GetValue<string>());
            Assert.Equal("ok", health["anchors"]!.AsArray().Single(a => a!["anchor"]!.GetValue<string>() == "local")!["status"]!.GetValue<string>());

            var head = ready.Json["headPosition"]!.GetValue<long>();
            var anchors = await Until(async () => (await api.Get("/api/v1/ledger/anchors", null)).Json,
                a => Target(a, "local")?["lastAnchoredSize"]!.GetValue<long>() == head, "the local anchor");
            var evm = Target(anchors, "evm:31337")!;
            Assert.Equal(0, evm["lastAnchoredSize"]!.GetValue<long>());
            Assert.True(evm["lagCheckpoints"]!.GetValue<long>() >= 1);
            Assert.True(evm["lagSeconds"]!.GetValue<double>() > 0);
            Assert.False(string.IsNullOrEmpty(evm["lastError"]!.GetValue<string>()));
            Assert.NotNull(evm["failingSince"]);
            Assert.Equal(0, Target(anchors, "local")!["lagCheckpoints"]!.GetValue<long>());
            Assert.DoesNotContain(AnvilNode.DevPrivateKey, anchors.ToJsonString() + health.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await api.DisposeAsync();
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task with_a_node_running_every_checkpoint_gets_an_evm_receipt_that_the_chain_confirms()
    {
        await using var node = await AnvilNode.Start();
        await using var api = new ApiServer { Settings = EvmTarget(node.RpcUrl, node.PrivateKeyFile) };
        await api.InitializeAsync();
        try
        {
            Assert.Equal(HttpStatusCode.Created, (await api.Post("/api/v1/participants", "operator", new { id = "wh-8", name = "Tank farm eight", roles = new[] { "Warehouse" } })).Status);
            var head = (await api.Get("/health/ready", null)).Json["headPosition"]!.GetValue<long>();

            var anchors = await Until(async () => (await api.Get("/api/v1/ledger/anchors", null)).Json,
                a => Target(a, "evm:31337")?["lastAnchoredSize"]!.GetValue<long>() >= head, "the EVM anchor");
            var receipt = anchors["receipts"]!.AsArray().Last(r => r!["anchor"]!.GetValue<string>() == "evm:31337")!;
            var proof = receipt["proof"]!;
            Assert.Equal(AnvilNode.ChainId, proof["chainId"]!.GetValue<long>());
            Assert.Equal(receipt["transactionReference"]!.GetValue<string>(), proof["transactionHash"]!.GetValue<string>());
            var size = receipt["treeSize"]!.GetValue<long>();
            var checkpoint = await api.Get($"/api/v1/ledger/checkpoints/{size}", null);
            var onChain = await EvmAnchorReader.ReadAnchoredRoot(node.RpcUrl, proof["contractAddress"]!.GetValue<string>(), size, default);
            Assert.Equal(checkpoint.Json["rootHash"]!.GetValue<string>(), Convert.ToHexStringLower(onChain!));
            Assert.Equal("ready", (await api.Get("/health/ready", null)).Json["status"]!.GetValue<string>());
        }
        finally { await api.DisposeAsync(); }
    }
}
