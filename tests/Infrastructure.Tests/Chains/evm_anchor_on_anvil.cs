using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Tests.Ledger;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Anchors;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

using static AssetLedger.Infrastructure.Tests.Support.Eventually;

namespace AssetLedger.Infrastructure.Tests.Chains;

/// <summary>The EVM anchor against a real local node (Anvil from npm) and a real PostgreSQL.</summary>
public sealed class evm_anchor_on_anvil : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    static LedgerOptions FastOptions() => new()
    {
        CheckpointEveryLeaves = 1, CheckpointInterval = TimeSpan.FromMilliseconds(50), PollInterval = TimeSpan.FromMilliseconds(20),
        AnchorRetryAttempts = 1, AnchorRetryDelay = TimeSpan.FromMilliseconds(50), AnchorMaxBackoff = TimeSpan.FromMilliseconds(400),
        AnchorSubmitTimeout = TimeSpan.FromSeconds(20),
    };

    static EvmAnchorOptions Target(AnvilNode node) => new()
    {
        RpcUrl = node.RpcUrl, ChainId = AnvilNode.ChainId, PrivateKeyFile = node.PrivateKeyFile,
        ReceiptTimeout = TimeSpan.FromSeconds(10), ReceiptPollInterval = TimeSpan.FromMilliseconds(20), RpcTimeout = TimeSpan.FromSeconds(3),
    };

    /// <summary>Cuts <paramref name="count"/> checkpoints, each over a few new events.</summary>
    static async Task CutCheckpoints(LedgerParts l, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await l.AppendEvents(1 + i % 3);
            await l.Builder.CatchUp(default);
            await l.Cutter.CutNow(default);
        }
    }

    [Fact]
    public async Task twenty_checkpoints_are_anchored_in_order_and_each_reads_back_from_the_chain_as_its_stored_receipt()
    {
        await using var node = await AnvilNode.Start();
        var options = FastOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), options);
        var evm = new EvmAnchor(Target(node), _db.DataSource);
        await CutCheckpoints(l, 20);

        Assert.Equal(40, await new AnchorWorker(l.Db, [l.LocalAnchor, evm], options).AnchorPending(default));

        var checkpoints = await l.Checkpoints.Range(0, 100, default);
        Assert.Equal(20, checkpoints.Count);
        var stored = (await l.Service.Anchors(null, 0, 1000, default)).Where(r => r.Anchor == "evm:31337").ToList();
        Assert.Equal(checkpoints.Select(c => c.TreeSize), stored.Select(r => r.TreeSize));
        var reader = new EvmAnchorReader(node.RpcUrl);
        var contract = evm.ContractAddress!;
        Assert.Equal(20, await reader.Count(contract, default));
        byte[] previous = new byte[32];
        foreach (var (checkpoint, receipt) in checkpoints.Zip(stored))
        {
            Assert.Equal(checkpoint.RootHash, await reader.AnchoredRoot(contract, checkpoint.TreeSize, default));
            Assert.Equal(checkpoint.RootHash, await EvmAnchorReader.ReadAnchoredRoot(node.RpcUrl, contract, checkpoint.TreeSize, default));
            var onChain = (await reader.Find(contract, checkpoint.TreeSize, default))!;
            AssertSameReceipt(EvmAnchor.ToReceipt("evm:31337", onChain), receipt);
            Assert.Equal(previous, onChain.PreviousRoot);
            Assert.Equal(EvmAnchor.LedgerSignature(AnchorWorker.ToAnchor(checkpoint)), onChain.Signature);
            previous = onChain.Root;
        }
        using var proof = JsonDocument.Parse(stored[^1].ProofJson);
        Assert.Equal(AnvilNode.ChainId, proof.RootElement.GetProperty("chainId").GetInt64());
        Assert.Equal(contract, proof.RootElement.GetProperty("contractAddress").GetString());
        Assert.StartsWith("0x", proof.RootElement.GetProperty("transactionHash").GetString());
        Assert.True(proof.RootElement.GetProperty("blockNumber").GetInt64() > 0);
        Assert.Equal(0, proof.RootElement.GetProperty("logIndex").GetInt64());
        Assert.DoesNotContain(AnvilNode.DevPrivateKey, string.Join("", stored.Select(r => r.ProofJson)));
    }

    [Fact]
    public async Task a_restart_reuses_the_recorded_contract_and_a_resubmission_answers_the_receipt_the_chain_holds()
    {
        await using var node = await AnvilNode.Start();
        var options = FastOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), options);
        await CutCheckpoints(l, 3);
        var first = new EvmAnchor(Target(node), _db.DataSource);
        var checkpoints = (await l.Checkpoints.Range(0, 10, default)).Select(AnchorWorker.ToAnchor).ToList();
        var receipts = new List<AnchorReceipt>();
        foreach (var c in checkpoints) receipts.Add(await first.Submit(c, default));

        // Another process after a crash between the chain's answer and the cursor's commit: same database, new instance.
        var restarted = new EvmAnchor(Target(node), _db.DataSource);
        var again = await restarted.Submit(checkpoints[^1], default);

        Assert.Equal(first.ContractAddress, restarted.ContractAddress);
        Assert.Equal(first.ContractAddress, (await new EvmDeployments(_db.DataSource).Find("evm:31337", default))!.ContractAddress);
        Assert.Equal(receipts[^1], again);
        Assert.Equal(3, await new EvmAnchorReader(node.RpcUrl).Count(first.ContractAddress!, default));
    }

    [Fact]
    public async Task a_node_stopped_mid_run_and_restarted_on_its_state_is_caught_up_with_no_gap_and_no_duplicate()
    {
        await using var node = await AnvilNode.Start(persistState: true);
        var options = FastOptions();
        options.CheckpointEveryLeaves = 1000;
        options.CheckpointInterval = TimeSpan.FromMilliseconds(100);
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), options);
        var evm = new EvmAnchor(Target(node), _db.DataSource);
        using var stopWorker = new CancellationTokenSource();
        var worker = new LedgerWorker(l.Builder, l.Cutter, new AnchorWorker(l.Db, [l.LocalAnchor, evm], options), options).RunAsync(stopWorker.Token);
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stopWriting.IsCancellationRequested) { await l.AppendEvents(2); await Task.Delay(40); }
        });

        await WaitUntil(async () => (await Status(l, "evm:31337"))?.LastAnchoredSize >= 16, "the first checkpoints anchored");
        await node.Stop(); // mid-run: events keep coming, checkpoints keep being cut, the worker is sending
        var evmAtStop = (await Status(l, "evm:31337"))!.LastAnchoredSize;
        var localAtStop = (await Status(l, "local"))!.LastAnchoredSize;
        await WaitUntil(async () => (await Status(l, "evm:31337"))!.Failures > 0 && (await Status(l, "local"))!.LastAnchoredSize > localAtStop + 20,
            "the local anchor going on while the node is down");
        var down = (await Status(l, "evm:31337"))!;
        Assert.NotNull(down.LastError);
        Assert.NotNull(down.FailingSince);
        Assert.True(down.LagCheckpoints > 0);

        await node.Restart();
        await stopWriting.CancelAsync();
        await writer;
        var head = await l.Store.HeadPosition(default);
        await WaitUntil(async () => (await Status(l, "evm:31337"))!.LastAnchoredSize == head && (await Status(l, "local"))!.LastAnchoredSize == head, "catching up");
        await stopWorker.CancelAsync();
        await worker;

        var checkpoints = await l.Checkpoints.Range(0, 10_000, default);
        Assert.True(checkpoints.Count(c => c.TreeSize > evmAtStop) > 2, "checkpoints were cut while the node was down");
        var caughtUp = (await Status(l, "evm:31337"))!;
        Assert.Equal((0, null, 0L), (caughtUp.Failures, caughtUp.LastError, caughtUp.LagCheckpoints));
        var stored = (await l.Service.Anchors(null, 0, 10_000, default)).Where(r => r.Anchor == "evm:31337").ToList();
        Assert.Equal(checkpoints.Select(c => c.TreeSize), stored.Select(r => r.TreeSize)); // no gap
        var reader = new EvmAnchorReader(node.RpcUrl);
        var onChain = await reader.Events(evm.ContractAddress!, null, 0, null, default);
        Assert.Equal(checkpoints.Select(c => c.TreeSize), onChain.Select(e => e.TreeSize)); // no gap, no duplicate, in order
        Assert.Equal(checkpoints.Count, await reader.Count(evm.ContractAddress!, default));
        for (var i = 0; i < checkpoints.Count; i++)
        {
            Assert.Equal(checkpoints[i].RootHash, onChain[i].Root);
            Assert.Equal(i == 0 ? new byte[32] : checkpoints[i - 1].RootHash, onChain[i].PreviousRoot);
            AssertSameReceipt(EvmAnchor.ToReceipt("evm:31337", onChain[i]), stored[i]);
        }
    }

    [Fact]
    public async Task targets_that_refuse_connections_or_never_answer_leave_the_local_anchor_and_each_other_going()
    {
        var options = FastOptions();
        options.AnchorRetryAttempts = 2;
        options.AnchorSubmitTimeout = TimeSpan.FromSeconds(2);
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), options);
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0); // accepts, never answers
        silent.Start();
        var keyFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(keyFile, AnvilNode.DevPrivateKey);
        try
        {
            EvmAnchorOptions Dead(string name, int port) => new()
            {
                Name = name, RpcUrl = $"http://127.0.0.1:{port}", ChainId = AnvilNode.ChainId, PrivateKeyFile = keyFile,
                RpcTimeout = TimeSpan.FromSeconds(1), ReceiptTimeout = TimeSpan.FromSeconds(2),
            };
            var refused = new EvmAnchor(Dead("evm:refused", AnvilNode.FreePort()), _db.DataSource);
            var hung = new EvmAnchor(Dead("evm:hung", ((System.Net.IPEndPoint)silent.LocalEndpoint).Port), _db.DataSource);
            using var stop = new CancellationTokenSource();
            var worker = new LedgerWorker(l.Builder, l.Cutter, new AnchorWorker(l.Db, [refused, hung, l.LocalAnchor], options), options).RunAsync(stop.Token);

            var started = DateTime.UtcNow;
            for (var i = 0; i < 10; i++) { await l.AppendEvents(1); await Task.Delay(60); }
            var head = await l.Store.HeadPosition(default);
            await WaitUntil(async () => (await Status(l, "local"))?.LastAnchoredSize == head, "the local anchor");
            var localTook = DateTime.UtcNow - started;
            await WaitUntil(async () => (await Status(l, "evm:hung"))?.Failures > 0 && (await Status(l, "evm:refused"))?.Failures > 0, "both targets failing");
            await stop.CancelAsync();
            await worker;

            Assert.True(localTook < TimeSpan.FromSeconds(8), $"the local anchor took {localTook} next to two dead chains");
            var checkpoints = await l.Checkpoints.Range(0, 1000, default);
            Assert.True(checkpoints.Count >= 3);
            foreach (var name in new[] { "evm:refused", "evm:hung" })
            {
                var status = (await Status(l, name))!;
                Assert.Equal(0, status.LastAnchoredSize);
                Assert.NotNull(status.LastError);
                Assert.NotNull(status.FailingSince);
                Assert.True(status.LagCheckpoints >= 3 && status.LagSeconds > 0, $"{name}: lag {status.LagCheckpoints} checkpoints, {status.LagSeconds} s");
            }
            Assert.Equal(0, (await Status(l, "local"))!.LagCheckpoints);
        }
        finally { File.Delete(keyFile); }
    }

    static async Task<AnchorStatus?> Status(LedgerParts l, string anchor) =>
        (await l.Service.AnchorStatuses(default)).SingleOrDefault(s => s.Anchor == anchor);


    [Fact]
    public async Task with_one_second_blocks_checkpoints_sent_ahead_share_blocks_and_stay_in_order()
    {
        await using var node = await AnvilNode.Start(blockTime: 1);
        var options = FastOptions();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), options);
        var target = Target(node);
        target.MaxInFlight = 8;
        var evm = new EvmAnchor(target, _db.DataSource);
        await CutCheckpoints(l, 16);

        Assert.Equal(16, await new AnchorWorker(l.Db, [evm], options).AnchorPending(default));

        var checkpoints = await l.Checkpoints.Range(0, 100, default);
        var onChain = await new EvmAnchorReader(node.RpcUrl).Events(evm.ContractAddress!, null, 0, null, default);
        Assert.Equal(checkpoints.Select(c => c.TreeSize), onChain.Select(e => e.TreeSize));
        // Sent one at a time, each checkpoint would wait for its receipt and take a block of its own; sent ahead, some
        // share one. How many share depends on the CPU the machine has left, so only sharing itself is asserted.
        Assert.True(onChain.Select(e => e.BlockNumber).Distinct().Count() < 16, $"16 checkpoints took 16 blocks ({string.Join(",", onChain.Select(e => e.BlockNumber))}): none was sent ahead");
        var stored = (await l.Service.Anchors(null, 0, 100, default)).ToList();
        foreach (var (e, r) in onChain.Zip(stored)) AssertSameReceipt(EvmAnchor.ToReceipt("evm:31337", e), r);
    }

    [Fact]
    public async Task a_checkpoint_cut_while_the_one_before_waits_for_its_block_is_sent_at_once_and_shares_that_block()
    {
        await using var node = await AnvilNode.Start();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), FastOptions());
        await CutCheckpoints(l, 1);
        var evm = new EvmAnchor(Target(node), _db.DataSource);
        await evm.Submit(AnchorWorker.ToAnchor((await l.Checkpoints.Range(0, 10, default))[0]), default); // deploys and anchors with automine
        await Rpc(node, "evm_setAutomine", "false"); // from here blocks are mined only when the test says so
        await CutCheckpoints(l, 1);
        var checkpoints = (await l.Checkpoints.Range(0, 10, default)).Select(AnchorWorker.ToAnchor).ToList();
        var web3 = new Web3(node.RpcUrl);
        var account = new Account(AnvilNode.DevPrivateKey, AnvilNode.ChainId).Address;
        async Task<long> Pending() =>
            (long)(await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(account, Nethereum.RPC.Eth.DTOs.BlockParameter.CreatePending())).Value
            - (long)(await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(account, Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest())).Value;

        var second = evm.Submit(checkpoints[1], default);
        await WaitUntil(async () => await Pending() == 1, "the second checkpoint's transaction in the pool", 20);
        await CutCheckpoints(l, 1); // cut while the second one waits for a block
        await WaitUntil(async () => await Pending() == 2, "the third checkpoint sent ahead while the second waits", 20);
        await Rpc(node, "evm_mine", "");

        var receipts = new[] { await second, await evm.Submit(AnchorWorker.ToAnchor((await l.Checkpoints.Range(0, 10, default))[2]), default) };
        var blocks = receipts.Select(r => JsonDocument.Parse(r.ProofJson).RootElement.GetProperty("blockNumber").GetInt64()).ToList();
        Assert.Equal(blocks[0], blocks[1]);
        Assert.Equal(0, await Pending());
    }

    static async Task Rpc(AnvilNode node, string method, string parameters)
    {
        using var http = new HttpClient();
        using var reply = await http.PostAsync(node.RpcUrl, new StringContent(
            $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":[{{parameters}}]}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.IsSuccessStatusCode && !body.Contains("\"error\""), $"{method}: {body}");
    }

    [Fact]
    public async Task a_chain_restarted_empty_stops_the_target_with_a_clear_error_and_deploys_nothing()
    {
        await using var node = await AnvilNode.Start(persistState: false);
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), FastOptions());
        await CutCheckpoints(l, 2);
        var checkpoints = (await l.Checkpoints.Range(0, 10, default)).Select(AnchorWorker.ToAnchor).ToList();
        var evm = new EvmAnchor(Target(node), _db.DataSource);
        await evm.Submit(checkpoints[0], default);
        var contract = evm.ContractAddress!;

        await node.Stop();
        await node.Restart(); // no saved state: a new, empty chain on the same endpoint

        var running = await Assert.ThrowsAsync<InvalidOperationException>(() => evm.Submit(checkpoints[1], default));
        var restarted = await Assert.ThrowsAsync<InvalidOperationException>(() => new EvmAnchor(Target(node), _db.DataSource).Submit(checkpoints[1], default));
        Assert.Contains("chain was reset", running.Message);
        Assert.Contains("chain was reset", restarted.Message);
        Assert.False(await new EvmAnchorReader(node.RpcUrl).HasCode(contract, default));
        Assert.Equal(contract, (await new EvmDeployments(_db.DataSource).Find("evm:31337", default))!.ContractAddress);
    }

    [Fact]
    public async Task the_contract_refuses_a_size_that_does_not_grow_a_previous_root_that_is_not_its_last_and_a_stranger()
    {
        await using var node = await AnvilNode.Start();
        await using var l = new LedgerParts(_db.DataSource, LedgerParts.NewKeys(), new SystemClock(), FastOptions());
        await CutCheckpoints(l, 1);
        var evm = new EvmAnchor(Target(node), _db.DataSource);
        var first = (await l.Checkpoints.Range(0, 10, default))[0];
        await evm.Submit(AnchorWorker.ToAnchor(first), default);
        var contract = evm.ContractAddress!;
        var owner = new Web3(new Account(AnvilNode.DevPrivateKey, AnvilNode.ChainId), node.RpcUrl);
        var root = first.RootHash;

        var sameSize = await Refusal(owner, contract, new AnchorFunction { Size = (ulong)first.TreeSize, Root = Root(9), Prev = root, Sig = [1] });
        var smaller = await Refusal(owner, contract, new AnchorFunction { Size = (ulong)first.TreeSize - 1, Root = Root(9), Prev = root, Sig = [1] });
        var wrongPrev = await Refusal(owner, contract, new AnchorFunction { Size = (ulong)first.TreeSize + 5, Root = Root(9), Prev = Root(7), Sig = [1] });
        var zeroPrev = await Refusal(owner, contract, new AnchorFunction { Size = (ulong)first.TreeSize + 5, Root = Root(9), Prev = new byte[32], Sig = [1] });
        var stranger = await Refusal(new Web3(new Account(StrangerKey, AnvilNode.ChainId), node.RpcUrl), contract,
            new AnchorFunction { Size = (ulong)first.TreeSize + 5, Root = Root(9), Prev = root, Sig = [1] });

        Assert.Equal(["SizeDoesNotGrow", "SizeDoesNotGrow", "WrongPrevious", "WrongPrevious", "NotOwner"], new[] { sameSize, smaller, wrongPrev, zeroPrev, stranger }.Select(e => e.Error));
        Assert.Contains("already holds size", sameSize.Message);

        // Sent anyway (gas given, so no estimate stops it first): mined, and reverted by the contract itself.
        var forced = await owner.Eth.GetContractTransactionHandler<AnchorFunction>().SendRequestAndWaitForReceiptAsync(contract,
            new AnchorFunction { Size = (ulong)first.TreeSize, Root = Root(9), Prev = root, Sig = [1], Gas = 200_000 });
        Assert.Equal(0, (int)forced.Status.Value);
        var reader = new EvmAnchorReader(node.RpcUrl);
        Assert.Equal(1, await reader.Count(contract, default));
        var (latestSize, latestRoot) = await reader.Latest(contract, default);
        Assert.Equal(first.TreeSize, latestSize);
        Assert.Equal(root, latestRoot);
        Assert.Equal(root, await reader.AnchoredRoot(contract, first.TreeSize, default));
        Assert.Null(await reader.AnchoredRoot(contract, first.TreeSize + 5, default));
    }

    /// <summary>The stored receipt (its proof kept as jsonb, so key order may differ) says what the chain says.</summary>
    internal static void AssertSameReceipt(AnchorReceipt expected, AnchorReceipt stored)
    {
        Assert.Equal((expected.Anchor, expected.TreeSize, expected.TransactionReference, expected.AnchoredAt),
            (stored.Anchor, stored.TreeSize, stored.TransactionReference, stored.AnchoredAt));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected.ProofJson), System.Text.Json.Nodes.JsonNode.Parse(stored.ProofJson)),
            $"{expected.ProofJson} != {stored.ProofJson}");
    }

    /// <summary>Anvil's second development account: funded, but not the contract's owner.</summary>
    const string StrangerKey = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    static byte[] Root(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    static async Task<CheckpointAnchorRefusedException> Refusal(Web3 web3, string contract, AnchorFunction call)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => web3.Eth.GetContractTransactionHandler<AnchorFunction>().SendRequestAsync(contract, call));
        return CheckpointAnchorRefusedException.From(ex) ?? throw new Xunit.Sdk.XunitException($"not a contract refusal: {ex}");
    }
}
