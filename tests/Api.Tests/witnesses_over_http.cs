using System.Net;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Ledger.Evidence;
using AssetLedger.Ledger.Witness;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Evidence;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The registry submits every checkpoint to its witnesses, managed at run time (issue 13): each with its own cursor and
/// status, one that is down blocking neither commands nor the others; the cosignatures are served with the checkpoints
/// and carried in evidence bundles, which verify only against a pinned ledger key and a met witness policy.
/// </summary>
public sealed class witnesses_over_http(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    TestWitness _witness = null!;

    public async Task InitializeAsync()
    {
        await Cast(api);
        _witness = await TestWitness.Start(api);
    }

    public async Task DisposeAsync() => await _witness.DisposeAsync();

    [Fact]
    public async Task every_checkpoint_goes_to_the_witnesses_and_one_that_is_down_blocks_neither_commands_nor_the_other()
    {
        // One witness nothing listens on, registered first; then the real one.
        using var deadKey = Cosigner.Generate("witness.test/down");
        await TestWitness.Register(api, "down", $"http://127.0.0.1:{TestWitness.FreePort()}", deadKey.Key.VerifierKey);
        await TestWitness.Register(api, "w1", _witness.Server.Url, _witness.VerifierKey);

        var id = await Active(api);
        var position = (await api.Get($"/api/v1/assets/{id}/history", "owner-a")).Json.AsArray()[^1]!["position"]!.GetValue<long>();
        var checkpoint = await _witness.CosignedCheckpoint(api, position);

        // The checkpoint endpoint serves the note with the witness's line: it verifies with the witness's key.
        var cosignature = checkpoint["cosignatures"]!.AsArray().Single(c => c!["witness"]!.GetValue<string>() == "witness:w1")!;
        var note = checkpoint["note"]!.GetValue<string>();
        Assert.Equal(note + cosignature["line"]!.GetValue<string>(), checkpoint["cosignedNote"]!.GetValue<string>());
        Assert.True(Cosignature.Verify(WitnessDecision.Text(note), cosignature["line"]!.GetValue<string>(), CosignerKey.Parse(_witness.VerifierKey)).IsValid);

        // The dead witness is failing, with the reason, and the live one got ahead of it.
        // (Each witness runs its own loop: the dead one's first refused connection may be recorded after the live one cosigned.)
        System.Text.Json.Nodes.JsonArray list;
        System.Text.Json.Nodes.JsonNode down;
        var until = DateTime.UtcNow.AddSeconds(60);
        do
        {
            list = (await api.Get("/api/v1/chains/witnesses", "operator")).Json["witnesses"]!.AsArray();
            down = list.Single(w => w!["name"]!.GetValue<string>() == "down")!;
            if (down["cosigning"] is { } seen && seen["failures"]!.GetValue<int>() >= 1) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < until);
        Assert.True(down["cosigning"] is { } c && c["failures"]!.GetValue<int>() >= 1 && c["lastError"] is not null, down.ToJsonString());
        var live = list.Single(w => w!["name"]!.GetValue<string>() == "w1")!;
        Assert.True(live["cosigning"]!["anchoredSize"]!.GetValue<long>() >= position, live.ToJsonString());

        // Deactivated, a witness gets no further checkpoint; its cosignatures stay.
        await Ok(api.Post("/api/v1/chains/witnesses/down/activation", "operator", new { active = false }));
        var again = await api.Post("/api/v1/chains/witnesses", "operator", new { name = "w1", url = _witness.Server.Url, verifierKey = _witness.VerifierKey });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        var badKey = await api.Post("/api/v1/chains/witnesses", "operator", new { name = "w2", url = _witness.Server.Url, verifierKey = (await api.Get("/api/v1/ledger/keys", null)).Json["ledgerVerifierKey"]!.GetValue<string>() });
        Assert.True(badKey.Status == HttpStatusCode.UnprocessableEntity && badKey.Code == "chain.invalid", badKey.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Post("/api/v1/chains/witnesses", "owner-a", new { name = "w3", url = _witness.Server.Url, verifierKey = _witness.VerifierKey })).Status);

        // The bundle carries the cosignature; verify says VERIFIED only against the pinned ledger key and witness.
        var zip = await Bundle(api, id, "owner-a");
        Assert.Contains("witness:w1", System.Text.Encoding.UTF8.GetString(Files(zip)["cosignatures.jsonl"]));
        var ledgerKey = (await api.Get("/api/v1/ledger/keys", null)).Json["ledgerVerifierKey"]!.GetValue<string>();
        var pinned = Verify(zip, new VerifierOptions(ledgerKey, Policy: new TrustPolicy([_witness.VerifierKey])));
        Assert.True(pinned.Verified, Describe(pinned));

        var path = Path.Combine(Path.GetTempPath(), $"witnessed-{id}.zip");
        await File.WriteAllBytesAsync(path, zip);
        try
        {
            Task<int> Cli(params string[] args) => AssetLedger.Cli.CliApp.Create().Parse(["verify", path, .. args]).InvokeAsync();
            Assert.Equal(0, await Cli("--ledger-key", ledgerKey, "--witness-key", _witness.VerifierKey));
            Assert.Equal(3, await Cli());                                                   // consistent, but nothing pinned
            Assert.Equal(3, await Cli("--ledger-key", ledgerKey));                          // the operator's word alone
            Assert.Equal(3, await Cli("--witness-key", _witness.VerifierKey));              // no ledger key
            Assert.Equal(0, await Cli("--ledger-key", ledgerKey, "--witness-quorum", "0")); // relying on the ledger key alone, on purpose
            Assert.Equal(1, await Cli("--ledger-key", ledgerKey, "--witness-key", deadKey.Key.VerifierKey));
            var policy = Path.ChangeExtension(path, ".policy.json");
            await File.WriteAllTextAsync(policy, System.Text.Json.JsonSerializer.Serialize(new { ledgerKey, witnesses = new { keys = new[] { _witness.VerifierKey }, quorum = 1 } }));
            Assert.Equal(0, await Cli("--policy", policy));
            File.Delete(policy);
        }
        finally { File.Delete(path); }
    }
}
