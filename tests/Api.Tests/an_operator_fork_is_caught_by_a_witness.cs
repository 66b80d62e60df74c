using System.Net;
using System.Text;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Ledger.Evidence;
using AssetLedger.Ledger.Notes;
using AssetLedger.Ledger.Witness;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Evidence;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 13, "Tests and figures", first bullet: the test plays the operator with every one of its own keys. The honest
/// registry's checkpoints are cosigned by an independent witness. The operator then re-derives history with a changed
/// quantity — a second service on the same ledger and local anchor keys, so every event hash, proof, checkpoint and local
/// anchor entry is recomputed and re-signed by the real keys (asset ids are minted anew) — and exports the forked asset's
/// bundle. With only the ledger key pinned it verifies: that is the weakness. With the witness pinned it fails and says
/// why; and when the operator asks the witness to cosign the fork, the witness refuses and hands over its equivocation proof.
/// </summary>
public sealed class an_operator_fork_is_caught_by_a_witness : IAsyncLifetime
{
    readonly ApiServer _honest = new();
    ApiServer _fork = null!;
    TestWitness _witness = null!;

    public async Task InitializeAsync()
    {
        await _honest.InitializeAsync();
        _fork = new ApiServer { KeyDirectory = _honest.KeyDirectory };
        await _fork.InitializeAsync();
        _witness = await TestWitness.Start(_honest);
    }

    public async Task DisposeAsync()
    {
        await _witness.DisposeAsync();
        await _fork.DisposeAsync();
        await _honest.DisposeAsync();
    }

    static async Task<string> Registered(ApiServer api, string quantity)
    {
        var r = await api.Post("/api/v1/assets", "owner-a", new
        {
            kind = "WarehouseReceipt", ownerId = "owner-a", warehouseId = "wh-1", receiptNumber = "WR-FORK-1", commodity = "crude oil", quantity, unit = "bbl",
        });
        Assert.True(r.Status == HttpStatusCode.Created, r.ToString());
        var id = r.Json["assetId"]!.GetValue<string>();
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }));
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "tc-1", new { approve = true }));
        return id;
    }

    static async Task<long> LastPosition(ApiServer api, string id) =>
        (await api.Get($"/api/v1/assets/{id}/history", "owner-a")).Json.AsArray()[^1]!["position"]!.GetValue<long>();

    [Fact]
    public async Task the_forked_bundle_fails_against_the_pinned_witness_and_the_witness_refuses_the_fork_with_an_equivocation_proof()
    {
        var ledgerKey = (await _honest.Get("/api/v1/ledger/keys", null)).Json["ledgerVerifierKey"]!.GetValue<string>();
        Assert.Equal(ledgerKey, (await _fork.Get("/api/v1/ledger/keys", null)).Json["ledgerVerifierKey"]!.GetValue<string>());

        // The honest history, cosigned by the witness.
        await TestWitness.Register(_honest, "w1", _witness.Server.Url, _witness.VerifierKey);
        await Cast(_honest);
        var honestId = await Registered(_honest, "1200.5");
        var cosigned = await _witness.CosignedCheckpoint(_honest, await LastPosition(_honest, honestId));
        var honestSize = cosigned["treeSize"]!.GetValue<long>();
        var honest = Verify(await Bundle(_honest, honestId, "owner-a"), new VerifierOptions(ledgerKey, Policy: new TrustPolicy([_witness.VerifierKey])));
        Assert.True(honest.Verified, Describe(honest));

        // The operator's fork: the same commands with another quantity, and a few more so the forked log outgrows the cosigned one.
        await Cast(_fork);
        var forkedId = await Registered(_fork, "9200.5");
        for (var i = 0; i < 3; i++) await Pending(_fork);
        var forkedZip = await Bundle(_fork, forkedId, "owner-a");
        Assert.Contains("9200.5", Encoding.UTF8.GetString(Files(forkedZip)["events.jsonl"]));

        // Against the operator's own ledger key alone, the fork checks out: every hash, proof, signature and local anchor holds.
        var alone = Verify(forkedZip, new VerifierOptions(ledgerKey, Policy: new TrustPolicy(WitnessQuorum: 0)));
        Assert.True(alone.Verified, Describe(alone));
        // With the witness pinned it does not, and says why.
        var witnessed = Verify(forkedZip, new VerifierOptions(ledgerKey, Policy: new TrustPolicy([_witness.VerifierKey])));
        Assert.Equal(["witness cosignatures"], FailedChecks(witnessed));
        Assert.Contains("cosigned by 0 of the 1 pinned witnesses required (no valid cosignature by witness.test/w1)", Failures(witnessed, "witness cosignatures"));
        var path = Path.Combine(Path.GetTempPath(), $"fork-{forkedId}.zip");
        await File.WriteAllBytesAsync(path, forkedZip);
        try { Assert.Equal(1, await AssetLedger.Cli.CliApp.Create().Parse(["verify", path, "--ledger-key", ledgerKey, "--witness-key", _witness.VerifierKey]).InvokeAsync()); }
        finally { File.Delete(path); }

        // The operator asks the witness to cosign the fork, with the forked log's own consistency proof from the size the witness holds.
        var forkLatest = await ForkCheckpointBeyond(honestSize);
        var forkSize = forkLatest["treeSize"]!.GetValue<long>();
        var proof = (await _fork.Get($"/api/v1/ledger/proofs/consistency?from={honestSize}&to={forkSize}", null)).Json["path"]!.AsArray()
            .Select(h => Convert.FromHexString(h!.GetValue<string>())).ToList();
        using var http = new HttpClient();
        using var refused = await http.PostAsync($"{_witness.Server.Url}/add-checkpoint",
            new StringContent(new AddCheckpointRequest(honestSize, proof, forkLatest["note"]!.GetValue<string>()).ToText(), Encoding.UTF8));
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);

        var equivocation = EquivocationProof.FromJson(Assert.Single(_witness.Store.Equivocations()));
        Assert.Equal(cosigned["note"]!.GetValue<string>(), equivocation.Cosigned.Note);
        Assert.Equal(forkLatest["note"]!.GetValue<string>(), equivocation.Conflicting.Note);
        Assert.Null(EquivocationProof.Check(equivocation, NoteVerifier.Parse(ledgerKey)));
        Assert.Equal(1, await AssetLedger.Cli.CliApp.Create().Parse(["witness", "equivocations", "--dir", _witness.Dir, "--log-key", ledgerKey]).InvokeAsync());
    }

    async Task<System.Text.Json.Nodes.JsonNode> ForkCheckpointBeyond(long size)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(1); ; await Task.Delay(100))
        {
            var latest = await _fork.Get("/api/v1/ledger/checkpoints/latest", null);
            if (latest.Status == HttpStatusCode.OK && latest.Json["treeSize"]!.GetValue<long>() > size) return latest.Json;
            Assert.True(DateTime.UtcNow < deadline, $"the fork has no checkpoint beyond {size}: {latest}");
        }
    }
}
