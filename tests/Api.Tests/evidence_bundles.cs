using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Ledger.Evidence;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Evidence;

namespace AssetLedger.Api.Tests;

/// <summary>Evidence bundles over HTTP: who may export them, what they hold, and that the offline verifier accepts them and nothing edited.</summary>
public sealed class evidence_bundles(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task an_assets_bundle_holds_its_history_and_verifies_offline()
    {
        var id = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{id}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        var zip = await Bundle(api, id, "owner-a");
        var report = Verify(zip);
        Assert.True(report.Ok, Describe(report));

        var files = Files(zip);
        foreach (var name in new[] { "manifest.json", "manifest.sig", "events.jsonl", "participants.jsonl", "devices.jsonl", "proofs.jsonl", "consistency.jsonl", "anchors.json", "state.json", "REPORT.md", "report.html" })
            Assert.True(files.ContainsKey(name), $"{name} is missing; the bundle has {string.Join(", ", files.Keys)}");
        var manifest = JsonNode.Parse(files["manifest.json"])!;
        Assert.Equal(4, manifest["formatVersion"]!.GetValue<int>());
        Assert.Equal(id, manifest["asset"]!["id"]!.GetValue<string>());
        var keys = (await api.Get("/api/v1/ledger/keys", null)).Json;
        Assert.Equal(keys["ledgerVerifierKey"]!.GetValue<string>(), manifest["keys"]!["ledger"]!.GetValue<string>());
        Assert.Equal(keys["anchorVerifierKey"]!.GetValue<string>(), manifest["keys"]!["anchor"]!.GetValue<string>());
        Assert.True(files.ContainsKey(manifest["checkpoint"]!["file"]!.GetValue<string>()));

        var lines = Encoding.UTF8.GetString(files["events.jsonl"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var history = (await api.Get($"/api/v1/assets/{id}/history", "owner-a")).Json.AsArray();
        Assert.Equal(history.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = JsonNode.Parse(lines[i])!;
            Assert.Equal(history[i]!["hash"]!.GetValue<string>(), line["hash"]!.GetValue<string>());
            Assert.Equal(history[i]!["position"]!.GetValue<long>(), line["position"]!.GetValue<long>());
            // The envelope is exactly what was hashed.
            var raw = lines[i][(lines[i].IndexOf("\"envelope\":", StringComparison.Ordinal) + 11)..lines[i].LastIndexOf(",\"hash\":", StringComparison.Ordinal)];
            Assert.Equal(line["hash"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))));
        }
        var md = Encoding.UTF8.GetString(files["REPORT.md"]);
        Assert.Contains("asset-transferred-out", md);
        Assert.Contains(history[0]!["hash"]!.GetValue<string>()[..16], md);
        Assert.Contains("owner-a", md);
        Assert.Contains("<table>", Encoding.UTF8.GetString(files["report.html"]));
        Assert.Equal("Active", JsonNode.Parse(files["state.json"])![$"asset-{id}"]!["status"]!.GetValue<string>());

        // A trusted key that is not the bundle's fails the check.
        var pinned = Verify(zip, new VerifierOptions(LedgerKey: keys["ledgerVerifierKey"]!.GetValue<string>()));
        Assert.True(pinned.Ok, Describe(pinned));
        var wrong = Verify(zip, new VerifierOptions(LedgerKey: keys["anchorVerifierKey"]!.GetValue<string>()));
        Assert.Equal(["trusted keys"], FailedChecks(wrong));
    }

    [Fact]
    public async Task signed_commands_are_checked_against_the_signers_registered_key()
    {
        await api.Participants(("signer-e", "Owner"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(HttpStatusCode.OK, (await api.Post("/api/v1/participants/signer-e/signing-key", "signer-e", new { publicKey = key.ExportSubjectPublicKeyInfoPem() })).Status);
        var body = $$"""{"kind":"WarehouseReceipt","ownerId":"signer-e","warehouseId":"wh-1","receiptNumber":"SIG-{{Guid.NewGuid():N}}","commodity":"copper","quantity":"25","unit":"t"}""";
        var created = await api.Post("/api/v1/assets", "signer-e", body, Signing.Headers(key, "/api/v1/assets", body, "ev-sig-1", Signing.NewAssetId(), 0));
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        var id = created.Json["assetId"]!.GetValue<string>();
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }));
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "tc-1", new { approve = true }));
        var offer = """{"toId":"buyer-b"}""";
        var path = $"/api/v1/assets/{id}/transfer-offer";
        Assert.Equal(HttpStatusCode.OK, (await api.Post(path, "signer-e", offer, Signing.Headers(key, path, offer, "ev-sig-2", id, 3))).Status);

        var zip = await Bundle(api, id, "signer-e");
        var report = Verify(zip);
        Assert.True(report.Ok, Describe(report));
        Assert.StartsWith("2 signed commands verify", report.Checks.Single(c => c.Name == "signed commands").Summary);
        var files = Files(zip);
        Assert.Contains("participant-signing-key-registered", Encoding.UTF8.GetString(files["participants.jsonl"]));
        Assert.Contains("signed the command behind position", Encoding.UTF8.GetString(files["REPORT.md"]));
    }

    [Fact]
    public async Task whoever_may_read_the_asset_may_export_it_and_nobody_else_learns_it_exists()
    {
        var id = await Active(api);
        foreach (var who in new[] { "owner-a", "wh-1", "tc-1", "reg-1", "operator" })
        {
            var d = await api.Download($"/api/v1/evidence/assets/{id}?wait=20", who);
            Assert.True(d.Status == HttpStatusCode.OK, $"{who}: {d}");
            Assert.EndsWith(".zip", d.FileName);
        }
        foreach (var who in new[] { "owner-z", "bank-1", "debtor-1" })
        {
            var d = await api.Download($"/api/v1/evidence/assets/{id}", who);
            Assert.True(d.Status == HttpStatusCode.NotFound, $"{who}: {d}");
            var missing = await api.Download($"/api/v1/evidence/assets/{Guid.NewGuid():N}", who);
            Assert.Equal(missing.Code, d.Code);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Download($"/api/v1/evidence/assets/{id}", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Download("/api/v1/evidence/ledger", "owner-a")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Download("/api/v1/evidence/ledger", "wh-1")).Status);
        var audit = await api.Scalar($"SELECT count(*) FROM access_audit WHERE path = '/api/v1/evidence/assets/{id}' AND participant_id = 'owner-z'");
        Assert.Equal(1, audit);
    }

    [Fact]
    public async Task a_ledger_range_exports_and_verifies_for_regulators()
    {
        await Active(api);
        await Bundle(api, await Active(api));
        var d = await api.Download("/api/v1/evidence/ledger?wait=20", "reg-1");
        Assert.True(d.Status == HttpStatusCode.OK, d.ToString());
        var report = Verify(d.Bytes);
        Assert.True(report.Ok, Describe(report));
        var manifest = JsonNode.Parse(Files(d.Bytes)["manifest.json"])!;
        Assert.Equal("ledger", manifest["kind"]!.GetValue<string>());
        Assert.Equal(1, manifest["range"]!["from"]!.GetValue<long>());

        var to = manifest["range"]!["to"]!.GetValue<long>();
        var part = await api.Download($"/api/v1/evidence/ledger?from={to / 2 + 1}&to={to}", "operator");
        Assert.True(part.Status == HttpStatusCode.OK, part.ToString());
        var partReport = Verify(part.Bytes);
        Assert.True(partReport.Ok, Describe(partReport));

        Assert.Equal(HttpStatusCode.BadRequest, (await api.Download("/api/v1/evidence/ledger?from=5&to=2", "reg-1")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.Download("/api/v1/evidence/ledger?from=90000000&to=90000010", "reg-1")).Status);
    }

    [Fact]
    public async Task an_asset_not_yet_anchored_is_a_409_that_says_when_to_retry()
    {
        await api.Scalar("UPDATE anchor_cursors SET next_attempt_at = now() + interval '1 hour' RETURNING 1");
        string id;
        try
        {
            id = await Active(api);
            var d = await api.Download($"/api/v1/evidence/assets/{id}?wait=0", "owner-a");
            Assert.True(d.Status == HttpStatusCode.Conflict, d.ToString());
            Assert.Equal("evidence.not_anchored", d.Code);
            Assert.Contains("retry", d.Text);
            Assert.Equal(TimeSpan.FromSeconds(1), d.RetryAfter);
        }
        finally
        {
            await api.Scalar("UPDATE anchor_cursors SET next_attempt_at = now() RETURNING 1");
        }
        Assert.True(Verify(await Bundle(api, id, "owner-a")).Ok);
    }

    [Fact]
    public async Task editing_any_byte_of_any_file_after_export_fails_verification()
    {
        // A history that spans two checkpoints, so that every file of the bundle has content.
        var id = await AssetScenario.Pending(api);
        await Bundle(api, id);
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "wh-1", new { approve = true }));
        await Ok(api.Post($"/api/v1/assets/{id}/confirmations", "tc-1", new { approve = true }));
        var zip = await Bundle(api, id);
        var files = Files(zip);
        Assert.True(BundleVerifier.Verify(files).Ok);
        // (cosignatures.jsonl is empty here: no witness is registered in this fixture; witnesses_over_http edits a full one.
        // devices.jsonl too: no device watches this asset; readings_in_evidence_bundles edits a full one.)
        Assert.All(files.Where(f => f.Key is not (BundleFormat.Cosignatures or BundleFormat.Devices)), f => Assert.True(f.Value.Length > 0, $"{f.Key} is empty"));

        var survivors = new List<string>();
        foreach (var (name, bytes) in files.Where(f => f.Value.Length > 0))
            foreach (var offset in new[] { 0, bytes.Length / 3, bytes.Length / 2, bytes.Length - 1 }.Distinct())
            {
                var edited = new Dictionary<string, byte[]>(files) { [name] = (byte[])bytes.Clone() };
                edited[name][offset] ^= 0x01;
                var report = BundleVerifier.Verify(edited);
                if (report.Ok) survivors.Add($"{name} byte {offset}");
                else if (name is not ("manifest.json" or "manifest.sig"))
                    Assert.Contains(name, Failures(report, "file hashes"));
                else Assert.Contains(report.Failed, c => c.Name is "manifest signature" or "manifest");
            }
        Assert.True(survivors.Count == 0, "edits that verified: " + string.Join(", ", survivors));

        // Through the ZIP too: a file dropped or added is named.
        var dropped = new Dictionary<string, byte[]>(files);
        dropped.Remove("REPORT.md");
        Assert.Contains("REPORT.md is listed", Failures(BundleVerifier.Verify(dropped), "file hashes"));
        var added = new Dictionary<string, byte[]>(files) { ["extra.txt"] = "x"u8.ToArray() };
        Assert.Contains("extra.txt is in the bundle but not listed", Failures(BundleVerifier.Verify(added), "file hashes"));
        Assert.False(BundleVerifier.Verify(new MemoryStream("not a zip"u8.ToArray())).Ok);
    }
}
