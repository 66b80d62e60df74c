using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Ledger.Merkle;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests;

/// <summary>The ledger as a verifier outside the registry sees it: checkpoints, proofs that check out, anchors.</summary>
public sealed class ledger_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    static byte[] Hex(Reply r, string name) => Convert.FromHexString(r.Json[name]!.GetValue<string>());

    async Task<Reply> CheckpointCovering(long position)
    {
        for (var i = 0; i < 100; i++)
        {
            var latest = await api.Get("/api/v1/ledger/checkpoints/latest", null);
            if (latest.Status == HttpStatusCode.OK && latest.Json["treeSize"]!.GetValue<long>() >= position) return latest;
            await Task.Delay(100);
        }
        throw new TimeoutException($"No checkpoint covered position {position} within 10 s.");
    }

    [Fact]
    public async Task an_events_inclusion_proof_verifies_against_the_signed_checkpoint()
    {
        var id = await Active(api);
        var last = (await api.Get($"/api/v1/assets/{id}/history", "owner-a")).Json.AsArray()[^1]!;
        var position = last["position"]!.GetValue<long>();
        var checkpoint = await CheckpointCovering(position);

        var proof = await api.Get($"/api/v1/ledger/proofs/inclusion?eventId={last["eventId"]}", null);
        Assert.Equal(HttpStatusCode.OK, proof.Status);
        Assert.Equal(last["hash"]!.GetValue<string>(), proof.Json["eventHash"]!.GetValue<string>());
        Assert.Equal(checkpoint.Json["rootHash"]!.GetValue<string>(), proof.Json["rootHash"]!.GetValue<string>());
        var path = proof.Json["path"]!.AsArray().Select(p => Convert.FromHexString(p!.GetValue<string>())).ToList();
        var verdict = MerkleVerifier.VerifyInclusion(position - 1, proof.Json["treeSize"]!.GetValue<long>(),
            MerkleHash.Leaf(Hex(proof, "eventHash")), path, Hex(proof, "rootHash"));
        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.StartsWith("assetledger.local/ledger\n", checkpoint.Json["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task consistency_between_two_checkpoints_verifies()
    {
        await Active(api);
        var first = await CheckpointCovering(1);
        var firstSize = first.Json["treeSize"]!.GetValue<long>();
        await Active(api);
        var head = (await api.Get("/health/ready", null)).Json["headPosition"]!.GetValue<long>();
        var second = await CheckpointCovering(head);
        var secondSize = second.Json["treeSize"]!.GetValue<long>();
        Assert.True(secondSize > firstSize);
        var proof = await api.Get($"/api/v1/ledger/proofs/consistency?from={firstSize}&to={secondSize}", null);
        Assert.Equal(HttpStatusCode.OK, proof.Status);
        var path = proof.Json["path"]!.AsArray().Select(p => Convert.FromHexString(p!.GetValue<string>())).ToList();
        var verdict = MerkleVerifier.VerifyConsistency(firstSize, secondSize, Hex(first, "rootHash"), Hex(second, "rootHash"), path);
        Assert.True(verdict.IsValid, verdict.ToString());
        var bySize = await api.Get($"/api/v1/ledger/checkpoints/{firstSize}", null);
        Assert.Equal(first.Body, bySize.Body);
    }

    [Fact]
    public async Task checkpoints_are_anchored_locally_and_keys_are_published()
    {
        await Active(api);
        var checkpoint = await CheckpointCovering(1);
        var size = checkpoint.Json["treeSize"]!.GetValue<long>();
        Reply anchors = null!;
        for (var i = 0; i < 100; i++)
        {
            anchors = await api.Get($"/api/v1/ledger/anchors?treeSize={size}", null);
            if (anchors.Json["receipts"]!.AsArray().Count > 0) break;
            await Task.Delay(100);
        }
        Assert.Equal("local", anchors.Json["receipts"]![0]!["anchor"]!.GetValue<string>());
        var keys = await api.Get("/api/v1/ledger/keys", null);
        Assert.StartsWith("assetledger.local/ledger+", keys.Json["ledgerVerifierKey"]!.GetValue<string>());
        Assert.StartsWith("assetledger.local/anchor+", keys.Json["anchorVerifierKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task the_integrity_check_passes_on_an_untouched_ledger_and_is_for_regulators()
    {
        await Active(api);
        var head = (await api.Get("/health/ready", null)).Json["headPosition"]!.GetValue<long>();
        await CheckpointCovering(head);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Get("/api/v1/ledger/integrity", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Get("/api/v1/ledger/integrity", "owner-a")).Status);
        var report = await api.Get($"/api/v1/ledger/integrity?from=1&to={head}", "reg-1");
        Assert.Equal(HttpStatusCode.OK, report.Status);
        Assert.True(report.Json["ok"]!.GetValue<bool>(), report.Body);
        Assert.Equal(head, report.Json["eventsChecked"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("/api/v1/ledger/proofs/inclusion", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/ledger/proofs/inclusion?eventId=00000000-0000-0000-0000-000000000001", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/ledger/proofs/inclusion?position=1&treeSize=99999999", HttpStatusCode.UnprocessableEntity)]
    [InlineData("/api/v1/ledger/proofs/consistency?from=5&to=2", HttpStatusCode.UnprocessableEntity)]
    [InlineData("/api/v1/ledger/checkpoints/99999999", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/ledger/proofs/inclusion?eventId=nope", HttpStatusCode.BadRequest)]
    public async Task bad_ledger_queries_are_problems(string path, HttpStatusCode status)
    {
        await Active(api);
        await CheckpointCovering(1);
        var r = await api.Get(path, "reg-1");
        Assert.True(r.Status == status, r.ToString());
    }
}
