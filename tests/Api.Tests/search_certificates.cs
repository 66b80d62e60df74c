using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Ledger.Evidence;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Evidence;

namespace AssetLedger.Api.Tests;

/// <summary>Issue 17 item 5: a search certificate (查询证明) verifies offline under the pinned ledger key, and not after any byte of it changes.</summary>
public sealed class search_certificates(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    const string DebtorCode = "91330100MA27XL0E2G";

    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    async Task<(byte[] Zip, string Number, VerifierOptions Pinned)> Certificate()
    {
        var asset = await Active(api);
        var made = await api.Post("/api/v1/registrations", "bank-1", new
        {
            debtor = new { name = "owner-a Co., Ltd.", creditCode = DebtorCode }, collateral = new { kind = "RegistryAsset", assetId = asset }, termMonths = 12,
        });
        Assert.True(made.Status == HttpStatusCode.Created, made.ToString());
        await Ok(api.Post($"/api/v1/registrations/{made.Json["registrationId"]!.GetValue<string>()}/extensions", "bank-1", new { termMonths = 6 }));
        await Ok(api.Post($"/api/v1/assets/{asset}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await api.ProjectionsCaughtUp();
        var key = $"receipt:wh-1:{(await api.Get($"/api/v1/assets/{asset}", "owner-a")).Json["receiptNumber"]!.GetValue<string>()}";
        var d = await api.Download($"/api/v1/registrations/certificate?assetKey={Uri.EscapeDataString(key)}&wait=20", "tc-1");
        Assert.True(d.Status == HttpStatusCode.OK, d.ToString());
        Assert.Equal("application/zip", d.ContentType);
        var ledgerKey = (await api.Get("/api/v1/ledger/keys", null)).Json["ledgerVerifierKey"]!.GetValue<string>();
        return (d.Bytes, made.Json["number"]!.GetValue<string>(), new VerifierOptions(LedgerKey: ledgerKey, Policy: new TrustPolicy(WitnessQuorum: 0)));
    }

    [Fact]
    public async Task a_certificate_names_the_search_and_its_answer_and_verifies_offline_under_the_pinned_key()
    {
        var (zip, number, pinned) = await Certificate();
        var report = Verify(zip, pinned);
        Assert.True(report.Verified, Describe(report));
        Assert.Contains(report.Checks, c => c.Name == "search answer" && c.Passed);
        var files = Files(zip);
        var answer = JsonNode.Parse(files["search.json"])!;
        Assert.StartsWith("receipt:wh-1:", answer["criteria"]!["assetKey"]!.GetValue<string>());
        Assert.Equal(number, Assert.Single(answer["registrations"]!.AsArray())!["number"]!.GetValue<string>());
        Assert.Equal("bank-1", Assert.Single(answer["pledges"]!.AsArray())!["venueId"]!.GetValue<string>());
        var types = Encoding.UTF8.GetString(files["events.jsonl"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["envelope"]!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["registration-made", "registration-extended", "asset-transferred-out"], types);
        Assert.Equal("search", JsonNode.Parse(files["manifest.json"])!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_instance_started_on_an_anchored_log_exports_certificates_to_warm_up_before_anyone_asks()
    {
        await Certificate();
        // A process's first certificates ran its export code cold (at 100,000 assets the first took 0.5-0.8 s against a median
        // under 0.1 s): a new instance exports a few itself, spread over the anchored log, and throws them away.
        await using var second = await api.SecondInstance(new Dictionary<string, string> { ["AssetLedger:EvidenceWarmUpRounds"] = "3" });
        var warmUp = second.Service<AssetLedger.Api.Hosting.EvidenceWarmUp>();
        for (var i = 0; i < 1200 && warmUp.Rounds < 3; i++) await Task.Delay(50);
        Assert.Equal(3, warmUp.Rounds);
    }

    [Fact]
    public async Task a_certificate_is_refused_after_any_byte_changes()
    {
        var (zip, _, pinned) = await Certificate();
        // One byte in the stored data of every file of the archive (ZIP local headers: signature, sizes, name and extra lengths).
        var offsets = new List<int>();
        for (var o = 0; o + 30 <= zip.Length && BitConverter.ToUInt32(zip, o) == 0x04034b50;)
        {
            var (size, name, extra) = ((int)BitConverter.ToUInt32(zip, o + 18), BitConverter.ToUInt16(zip, o + 26), BitConverter.ToUInt16(zip, o + 28));
            var data = o + 30 + name + extra;
            if (size > 0) offsets.Add(data + size / 2);
            o = data + size;
        }
        Assert.True(offsets.Count >= 10, $"only {offsets.Count} files found in the archive");
        // And the ZIP's own bytes, which a ZIP reader forgives: every byte of the first local header and of the first central
        // record (with their names) and of the end record, and in every other entry the local header's CRC and the central record's offset.
        var dataCount = offsets.Count;
        var end = zip.Length - 22;
        Assert.Equal(0x06054b50u, BitConverter.ToUInt32(zip, end));
        var central = (int)BitConverter.ToUInt32(zip, end + 16);
        offsets.AddRange(Enumerable.Range(0, 30 + BitConverter.ToUInt16(zip, 26)));
        offsets.AddRange(Enumerable.Range(end, 22));
        for (var first = true; central < end && BitConverter.ToUInt32(zip, central) == 0x02014b50; first = false)
        {
            var length = 46 + BitConverter.ToUInt16(zip, central + 28);
            offsets.AddRange(first ? Enumerable.Range(central, length) : [central + 42, (int)BitConverter.ToUInt32(zip, central + 42) + 14]);
            central += length;
        }
        Assert.True(offsets.Count - dataCount > 100, $"only {offsets.Count - dataCount} header bytes found");
        foreach (var offset in offsets)
        {
            var flipped = (byte[])zip.Clone();
            flipped[offset] ^= 0x01;
            var report = Verify(flipped, pinned);
            Assert.False(report.Ok, $"a certificate with byte {offset} of {zip.Length} flipped still verifies");
        }
        // Inside the archive too: the answer left without its registration no longer matches the signed manifest.
        var files = Files(zip);
        var answer = JsonNode.Parse(files["search.json"])!;
        answer["registrations"] = new JsonArray();
        files["search.json"] = Encoding.UTF8.GetBytes(answer.ToJsonString() + "\n");
        var edited = BundleVerifier.Verify(files, pinned);
        Assert.Contains("file hashes", FailedChecks(edited));
    }

    [Fact]
    public async Task a_certificate_of_a_search_that_found_nothing_still_verifies()
    {
        var d = await api.Download("/api/v1/registrations/certificate?creditCode=91330100MA27XL0E3K&wait=20", "owner-a");
        Assert.True(d.Status == HttpStatusCode.OK, d.ToString());
        var ledgerKey = (await api.Get("/api/v1/ledger/keys", null)).Json["ledgerVerifierKey"]!.GetValue<string>();
        var report = Verify(d.Bytes, new VerifierOptions(LedgerKey: ledgerKey, Policy: new TrustPolicy(WitnessQuorum: 0)));
        Assert.True(report.Verified, Describe(report));
    }

    [Fact]
    public async Task a_large_answer_comes_in_signed_pages_that_each_list_every_match_and_prove_their_own_slice()
    {
        // A debtor of this test alone: three registrations, two a page.
        const string first17 = "91330100MA27XL0P1";
        var valid = first17 + AssetLedger.Domain.Participants.CreditCode.CheckCharacter(first17);
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var made = await api.Post("/api/v1/registrations", "bank-1", new
            {
                debtor = new { name = "Paged Debtor Ltd.", creditCode = valid }, collateral = new { kind = "Receivables", description = $"Receivables of 202{i}." }, termMonths = 12,
            });
            Assert.True(made.Status == HttpStatusCode.Created, made.ToString());
            numbers.Add(made.Json["number"]!.GetValue<string>());
        }
        await api.ProjectionsCaughtUp();
        var ledgerKey = (await api.Get("/api/v1/ledger/keys", null)).Json["ledgerVerifierKey"]!.GetValue<string>();
        var pinned = new VerifierOptions(LedgerKey: ledgerKey, Policy: new TrustPolicy(WitnessQuorum: 0));
        var pages = new List<Dictionary<string, byte[]>>();
        foreach (var page in new[] { 1, 2 })
        {
            var d = await api.Download($"/api/v1/registrations/certificate?creditCode={valid}&page={page}&pageSize=2&wait=20", "owner-a");
            Assert.True(d.Status == HttpStatusCode.OK, d.ToString());
            var report = Verify(d.Bytes, pinned);
            Assert.True(report.Verified, Describe(report));
            var files = Files(d.Bytes);
            var problems = BundleSchemaValidator.Problems(files);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            pages.Add(files);
        }
        JsonNode Answer(int page) => JsonNode.Parse(pages[page - 1]["search.json"])!;
        for (var page = 1; page <= 2; page++)
        {
            var answer = Answer(page);
            Assert.Equal(numbers, answer["matches"]!["registrations"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Equal(3, answer["page"]!["total"]!.GetValue<int>());
            Assert.Equal(2, answer["page"]!["of"]!.GetValue<int>());
        }
        Assert.Equal(numbers.Take(2), Answer(1)["registrations"]!.AsArray().Select(r => r!["number"]!.GetValue<string>()));
        Assert.Equal(new[] { numbers[2] }, Answer(2)["registrations"]!.AsArray().Select(r => r!["number"]!.GetValue<string>()));
        Assert.Equal(1, Answer(2)["page"]!["count"]!.GetValue<int>());
        Assert.Equal(3, Answer(2)["page"]!["first"]!.GetValue<int>());
        var beyond = await api.Download($"/api/v1/registrations/certificate?creditCode={valid}&page=3&pageSize=2&wait=20", "owner-a");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, beyond.Status);

        // A page whose claims do not hold is refused by the search answer check (the file hashes check refuses it too).
        void Refused(Action<JsonNode> edit, string because)
        {
            var files = new Dictionary<string, byte[]>(pages[1]);
            var answer = Answer(2);
            edit(answer);
            files["search.json"] = Encoding.UTF8.GetBytes(answer.ToJsonString() + "\n");
            var report = BundleVerifier.Verify(files, pinned);
            var check = Assert.Single(report.Checks, c => c.Name == "search answer");
            Assert.False(check.Passed, because);
            Assert.Contains("file hashes", FailedChecks(report));
        }
        Refused(a => a["matches"]!["registrations"]!.AsArray().RemoveAt(0), "a match left out of the whole answer");
        Refused(a => a["page"]!["total"] = 2, "a total that is not the matches'");
        Refused(a => a["page"]!["number"] = 1, "page 1 proving the third match");
        Refused(a => a["page"]!["of"] = 1, "one page claimed for three matches at two a page");
    }
}
