using System.Text.Json.Nodes;
using AssetLedger.Infrastructure.Evidence;
using AssetLedger.Infrastructure.Tests.Support;
using AssetLedger.Ledger.Evidence;
using Npgsql;
using static AssetLedger.Infrastructure.Tests.Support.EvmEvidence;

namespace AssetLedger.Infrastructure.Tests.Chains;

/// <summary>
/// EVM anchor receipts in evidence bundles, from a real ledger anchored on a real Anvil node (npm) and PostgreSQL:
/// checked offline by <see cref="BundleVerifier"/> against the bundle's checkpoints, and online by
/// <see cref="OnlineReceiptChecker"/> against the chain.
/// </summary>
public sealed class evm_receipts_in_evidence_bundles : IAsyncLifetime
{
    readonly PostgresDatabase _db = new();
    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    const string Chain = "chain receipts";

    static VerificationReport Offline(IReadOnlyDictionary<string, byte[]> files) => BundleVerifier.Verify(files);

    /// <summary>Online, against the contract the ledger really anchors on (what most receipts name): --online asks the pinned contract only.</summary>
    static Task<VerificationCheck> Online(IReadOnlyDictionary<string, byte[]> files, params EvmEndpoint[] endpoints)
    {
        var pinned = JsonNode.Parse(files[BundleFormat.Anchors])!["receipts"]!.AsArray().Select(r => r!["proof"]!)
            .Where(p => p["chainId"] is not null && p["contractAddress"] is not null)
            .GroupBy(p => (p["chainId"]!.ToJsonString(), p["contractAddress"]!.ToJsonString())).OrderByDescending(g => g.Count()).Select(g => g.First()).FirstOrDefault();
        var policy = pinned is null ? null : new TrustPolicy(EvmChainId: long.Parse(pinned["chainId"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
            EvmContract: pinned["contractAddress"]!.GetValue<string>());
        return OnlineReceiptChecker.Check(files, new OnlineOptions(endpoints, TimeSpan.FromSeconds(3), Policy: policy), default);
    }

    static string Describe(VerificationReport r) =>
        string.Join("\n", r.Checks.Select(c => $"{(c.Passed ? "PASS" : "FAIL")} {c.Name}: {c.Summary}" + string.Concat(c.Failures.Select(f => "\n    " + f))));

    static string Describe(VerificationCheck c) => $"{c.Name}: {c.Summary}\n    " + string.Join("\n    ", c.Failures);

    static VerificationCheck CheckOf(VerificationReport r, string name) => r.Checks.Single(c => c.Name == name);

    /// <summary>The receipt numbers (1-based in anchors.json) of the EVM receipts, by tree size.</summary>
    static Dictionary<long, int> EvmReceipts(IReadOnlyDictionary<string, byte[]> files) =>
        JsonNode.Parse(files[BundleFormat.Anchors])!["receipts"]!.AsArray()
            .Select((r, i) => (Anchor: r!["anchor"]!.GetValue<string>(), Size: r["treeSize"]!.GetValue<long>(), Index: i + 1))
            .Where(r => r.Anchor == AnchorName).ToDictionary(r => r.Size, r => r.Index);

    static string Where(int receipt, long size) => $"anchors.json receipt {receipt} ({AnchorName}, checkpoint {size})";

    [Fact]
    public async Task every_evm_receipt_verifies_offline_against_its_checkpoint_and_online_only_against_the_chain_that_holds_it()
    {
        await using var node = await AnvilNode.Start();
        await using var ledger = await EvmLedger.Anchored(_db.DataSource, node, checkpoints: 3);
        var files = Files(await ledger.Export());
        var evm = EvmReceipts(files);
        Assert.Equal(3, evm.Count);

        var offline = Offline(files);
        Assert.True(offline.Ok, Describe(offline));
        var chain = CheckOf(offline, Chain);
        Assert.Equal("3 EVM and 0 Fabric receipts name the bundle's checkpoints (size, root, the ledger's signature); checked against the chains only with --online", chain.Summary);
        Assert.DoesNotContain("not checkable offline", CheckOf(offline, "anchor receipts").Summary);

        // Online, against the node that holds the contract: given by URL alone, or for its chain id.
        foreach (var endpoint in new[] { new EvmEndpoint(node.RpcUrl), EvmEndpoint.Parse($"31337={node.RpcUrl}") })
        {
            var online = await Online(files, endpoint);
            Assert.True(online.Passed, Describe(online));
            Assert.Equal(OnlineReceiptChecker.CheckName, online.Name);
            Assert.StartsWith("3 EVM receipts: the chain holds each checkpoint's root", online.Summary);
        }

        // A second, fresh node of the same chain id: no contract there, so no receipt holds; each is named.
        await using var fresh = await AnvilNode.Start();
        var elsewhere = await Online(files, new EvmEndpoint(fresh.RpcUrl));
        Assert.False(elsewhere.Passed);
        Assert.Equal(3, elsewhere.Failures.Count);
        foreach (var (size, receipt) in evm)
            Assert.Contains(elsewhere.Failures, f => f.StartsWith(Where(receipt, size) + ": contractAddress: no contract at " + ledger.ContractAddress, StringComparison.Ordinal));

        // Asked to check online without an endpoint for the chain: not checked, and so not passed.
        var none = await Online(files);
        Assert.False(none.Passed);
        Assert.All(none.Failures, f => Assert.Contains("not checked online: no endpoint for chain 31337", f));
        var otherChain = await Online(files, EvmEndpoint.Parse($"1={node.RpcUrl}"));
        Assert.False(otherChain.Passed);
        Assert.Contains("no endpoint for chain 31337", otherChain.Failures[0]);

        // An endpoint nothing listens on: a failed check with the reason, not an exception.
        var deadUrl = $"http://127.0.0.1:{AnvilNode.FreePort()}";
        var dead = await Online(files, new EvmEndpoint(deadUrl));
        Assert.False(dead.Passed);
        Assert.Equal(3, dead.Failures.Count);
        Assert.All(dead.Failures, f => Assert.Contains($"not checked online: {deadUrl} did not answer eth_chainId", f));

        // The chain still says what the receipts say once the other endpoints are also given: the right one is picked.
        var both = await Online(files, new EvmEndpoint(deadUrl), new EvmEndpoint(node.RpcUrl));
        Assert.True(both.Passed, Describe(both));
    }

    [Fact]
    public async Task a_receipt_whose_root_was_rewritten_in_the_database_fails_offline_and_online_naming_the_receipt()
    {
        await using var node = await AnvilNode.Start();
        await using var ledger = await EvmLedger.Anchored(_db.DataSource, node, checkpoints: 3);
        var forged = "0x" + new string('7', 64);
        await using (var conn = await _db.DataSource.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await new NpgsqlCommand("ALTER TABLE anchor_receipts DISABLE TRIGGER USER", conn, tx).ExecuteNonQueryAsync();
            var update = new NpgsqlCommand("UPDATE anchor_receipts SET proof = jsonb_set(proof, '{root}', to_jsonb($1::text)) WHERE anchor = $2 AND tree_size = $3", conn, tx);
            update.Parameters.Add(new NpgsqlParameter { Value = forged });
            update.Parameters.Add(new NpgsqlParameter { Value = AnchorName });
            update.Parameters.Add(new NpgsqlParameter { Value = ledger.TreeSize });
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
            await new NpgsqlCommand("ALTER TABLE anchor_receipts ENABLE TRIGGER USER", conn, tx).ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }

        // Exported as stored: the manifest is signed over the forged receipt, so only the receipt check can tell.
        var files = Files(await ledger.Export());
        var where = Where(EvmReceipts(files)[ledger.TreeSize], ledger.TreeSize);
        var offline = Offline(files);
        Assert.Equal([Chain], offline.Failed.Select(c => c.Name));
        var failure = Assert.Single(CheckOf(offline, Chain).Failures);
        Assert.StartsWith($"{where}: root {forged} is not the root of checkpoints/{ledger.TreeSize}.txt", failure);

        var online = await Online(files, new EvmEndpoint(node.RpcUrl));
        Assert.False(online.Passed);
        Assert.StartsWith($"{where}: root: the chain holds 0x", Assert.Single(online.Failures));
        Assert.EndsWith($", the receipt says {forged}", online.Failures[0]);
    }

    [Fact]
    public async Task each_field_of_an_evm_receipt_changed_in_a_bundle_fails_naming_the_receipt_and_the_field()
    {
        await using var node = await AnvilNode.Start();
        await using var ledger = await EvmLedger.Anchored(_db.DataSource, node, checkpoints: 3);
        var original = Files(await ledger.Export());
        var size = ledger.TreeSize;
        var endpoint = new EvmEndpoint(node.RpcUrl);

        async Task<(VerificationReport Offline, VerificationCheck Online, string Where)> Tampered(Action<JsonObject> edit)
        {
            var files = new Dictionary<string, byte[]>(original);
            var receipt = EditEvmProof(files, size, edit);
            var offline = BundleVerifier.Verify(new MemoryStream(EvmEvidence.Zip(files)));
            // anchors.json no longer has the hash the signed manifest lists; the receipt check says what changed.
            Assert.Contains(offline.Checks, c => c is { Name: "file hashes", Passed: false });
            return (offline, await Online(files, endpoint), Where(receipt, size));
        }

        string proofField(string field) => JsonNode.Parse(original[BundleFormat.Anchors])!["receipts"]!.AsArray()
            .Single(r => r!["anchor"]!.GetValue<string>() == AnchorName && r["treeSize"]!.GetValue<long>() == size)!["proof"]![field]!.GetValue<string>();

        // root
        var root = FlipLastDigit(proofField("root"));
        var t = await Tampered(p => p["root"] = root);
        Assert.Contains(CheckOf(t.Offline, Chain).Failures, f => f.StartsWith($"{t.Where}: root {root} is not the root of checkpoints/{size}.txt", StringComparison.Ordinal));
        Assert.Contains(t.Online.Failures, f => f.StartsWith($"{t.Where}: root: the chain holds ", StringComparison.Ordinal) && f.EndsWith($"the receipt says {root}", StringComparison.Ordinal));

        // signature
        var signature = FlipLastDigit(proofField("signature"));
        t = await Tampered(p => p["signature"] = signature);
        Assert.Contains(CheckOf(t.Offline, Chain).Failures, f => f.StartsWith($"{t.Where}: signature {signature} is not the ledger's signature line of checkpoints/{size}.txt", StringComparison.Ordinal));
        Assert.Contains(t.Online.Failures, f => f.StartsWith($"{t.Where}: signature: the chain holds ", StringComparison.Ordinal));

        // chainId
        t = await Tampered(p => p["chainId"] = 31338);
        var chainFailures = CheckOf(t.Offline, Chain).Failures;
        Assert.Contains($"{t.Where}: chainId 31338 is not the chain of the anchor's name {AnchorName}", chainFailures);
        Assert.Contains(chainFailures, f => f.StartsWith($"{t.Where}: chainId 31338 is not that of the anchor's other receipts", StringComparison.Ordinal));
        Assert.Equal($"{t.Where}: not checked online: {ledger.ContractAddress} on chain 31338 is not the pinned contract {ledger.ContractAddress} on chain 31337", Assert.Single(t.Online.Failures));

        // contractAddress: another account's address, well formed
        var contract = FlipAddressDigit(ledger.ContractAddress);
        t = await Tampered(p => p["contractAddress"] = contract);
        Assert.Contains(CheckOf(t.Offline, Chain).Failures, f => f.StartsWith($"{t.Where}: contractAddress {contract} is not that of the anchor's other receipts", StringComparison.Ordinal));
        Assert.Contains(t.Online.Failures, f => f.StartsWith($"{t.Where}: not checked online: {contract} on chain 31337 is not the pinned contract", StringComparison.Ordinal));

        // previousRoot
        t = await Tampered(p => p["previousRoot"] = "0x" + new string('0', 64));
        Assert.Contains(CheckOf(t.Offline, Chain).Failures, f => f.StartsWith($"{t.Where}: previousRoot 0x{new string('0', 64)} is not the root of the checkpoint before", StringComparison.Ordinal));
        Assert.Contains(t.Online.Failures, f => f.StartsWith($"{t.Where}: previousRoot: the chain holds ", StringComparison.Ordinal));

        // transactionHash: no longer the receipt's transaction reference offline, not the chain's transaction online
        var transaction = FlipLastDigit(proofField("transactionHash"));
        t = await Tampered(p => p["transactionHash"] = transaction);
        Assert.Contains(CheckOf(t.Offline, Chain).Failures, f => f.StartsWith($"{t.Where}: transactionReference ", StringComparison.Ordinal) && f.EndsWith($"is not the proof's transactionHash {transaction}", StringComparison.Ordinal));
        Assert.Contains(t.Online.Failures, f => f.StartsWith($"{t.Where}: transactionHash: the chain has the anchor in transaction ", StringComparison.Ordinal));

        // blockNumber later than it was: nothing offline can tell (still after the smaller checkpoints'), the chain can
        t = await Tampered(p => p["blockNumber"] = p["blockNumber"]!.GetValue<long>() + 1000);
        Assert.True(CheckOf(t.Offline, Chain).Passed, Describe(t.Offline));
        Assert.Contains(t.Online.Failures, f => f.StartsWith($"{t.Where}: blockNumber: the chain has the anchor in block ", StringComparison.Ordinal));

        // Malformed fields are named.
        t = await Tampered(p => { p["blockHash"] = "0x12"; p["chain"] = "evn"; });
        Assert.Contains($"{t.Where}: blockHash \"0x12\" is not 0x and 32 bytes of hex", CheckOf(t.Offline, Chain).Failures);
        Assert.Contains($"{t.Where}: chain is \"evn\", not \"evm\"", CheckOf(t.Offline, Chain).Failures);
        Assert.StartsWith($"{t.Where}: not checked online: the receipt is not well formed", Assert.Single(t.Online.Failures));
    }

    [Fact]
    public async Task a_receipt_of_an_unknown_kind_is_reported_offline_and_online_not_passed()
    {
        await using var node = await AnvilNode.Start();
        await using var ledger = await EvmLedger.Anchored(_db.DataSource, node, checkpoints: 1);
        var files = Files(await ledger.Export());
        var anchors = JsonNode.Parse(files[BundleFormat.Anchors])!;
        var receipts = anchors["receipts"]!.AsArray();
        receipts.Add(JsonNode.Parse($$"""{"anchor":"ots:bitcoin","anchoredAt":"2026-11-25T21:00:00.000000Z","proof":{"ots":"AE9wZW5UaW1lc3RhbXBz"},"transactionReference":"ots:1","treeSize":{{ledger.TreeSize}}}"""));
        files[BundleFormat.Anchors] = System.Text.Encoding.UTF8.GetBytes(anchors.ToJsonString());
        var where = $"anchors.json receipt {receipts.Count} (ots:bitcoin, checkpoint {ledger.TreeSize})";

        var offline = Offline(files);
        Assert.StartsWith($"{where}: a receipt of an unknown kind", Assert.Single(CheckOf(offline, Chain).Failures));
        var online = await Online(files, new EvmEndpoint(node.RpcUrl));
        Assert.Equal($"{where}: not checked online: a receipt of an unknown kind", Assert.Single(online.Failures));
    }
}
