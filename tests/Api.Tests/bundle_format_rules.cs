using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Ledger.Evidence;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.Evidence;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The bundle format written down (docs/evidence-bundle.md, docs/schemas/) and enforced by the verifier: real bundles
/// match the schemas; the ZIP rules, the one time format, the recordedAt bound and the report as a rendering of the
/// checked files each refuse a bundle the operator re-signed with its own ledger key, so that only that rule can say no.
/// </summary>
public sealed class bundle_format_rules(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task real_bundles_of_every_kind_and_lifecycle_match_the_documented_schemas()
    {
        // A receipt offered, declined, offered again and transferred, taken out and returned, frozen and unfrozen, amended, with evidence.
        var receipt = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-offer", "owner-a", new { toId = "buyer-b" }));
        await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-offer/decline", "buyer-b", null));
        await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-offer", "owner-a", new { toId = "buyer-b" }));
        await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-offer/withdraw", "owner-a", null));
        await Ok(api.Post($"/api/v1/assets/{receipt}/evidence", "owner-a", new { sha256 = new string('b', 64), mediaType = "application/pdf", description = "inspection report" }));
        await Ok(api.Post($"/api/v1/assets/{receipt}/amendments", "owner-a", new { description = "tank 7" }));
        await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-out", "owner-a", new { venueId = "tc-1", purpose = "Trade" }));
        await Ok(api.Post($"/api/v1/assets/{receipt}/freeze", "reg-1", new { reason = "court order 123", authority = "Judicial", freezeId = "court-123" }));
        await Ok(api.Post($"/api/v1/assets/{receipt}/unfreeze", "reg-1", new { freezeId = "court-123", reason = "lifted" }));
        await Ok(api.Post($"/api/v1/assets/{receipt}/return", "tc-1", null));
        await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-offer", "owner-a", new { toId = "buyer-b" }));
        await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-offer/accept", "buyer-b", null));
        // A receipt rejected, one cancelled, a receivable and an intangible.
        var rejected = await Pending(api);
        await Ok(api.Post($"/api/v1/assets/{rejected}/confirmations", "wh-1", new { approve = false, comment = "no such goods in tank 7" }));
        var cancelled = await Active(api);
        await Ok(api.Post($"/api/v1/assets/{cancelled}/cancel", "wh-1", new { reason = "goods released" }));
        var receivable = await api.Post("/api/v1/assets", "owner-a", new { kind = "Receivable", ownerId = "owner-a", debtorId = "debtor-1", billNumber = $"B-{Guid.NewGuid():N}", amount = "100000.00", currency = "CNY", dueDate = "2027-03-31" });
        Assert.Equal(HttpStatusCode.Created, receivable.Status);
        var intangible = await api.Post("/api/v1/assets", "owner-a", new { kind = "Intangible", ownerId = "owner-a", title = "West Lake scenic photos", contentSha256 = new string('c', 64), mediaType = "image/jpeg" });
        Assert.Equal(HttpStatusCode.Created, intangible.Status);

        var bundles = new List<(string Name, byte[] Zip)>();
        foreach (var id in new[] { receipt, rejected, cancelled, receivable.Json["assetId"]!.GetValue<string>(), intangible.Json["assetId"]!.GetValue<string>() })
            bundles.Add(($"asset {id}", await Bundle(api, id, "reg-1")));
        var ledger = await api.Download("/api/v1/evidence/ledger?wait=20", "reg-1");
        Assert.True(ledger.Status == HttpStatusCode.OK, ledger.ToString());
        bundles.Add(("ledger", ledger.Bytes));

        var seen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, zip) in bundles)
        {
            var report = Verify(zip);
            Assert.True(report.Ok, $"{name}:\n{Describe(report)}");
            var files = Files(zip);
            var problems = BundleSchemaValidator.Problems(files);
            Assert.True(problems.Count == 0, $"{name}:\n" + string.Join("\n", problems));
            seen.UnionWith(BundleSchemaValidator.EventTypes(files));
        }
        // Every asset event type was in a real bundle, and the ledger bundle brought participant and user events.
        foreach (var type in new[] { "asset-registered", "asset-confirmed", "asset-rejected", "asset-amended", "asset-transfer-offered", "asset-transferred",
                     "asset-transfer-declined", "asset-transfer-withdrawn", "asset-transferred-out", "asset-returned", "asset-frozen", "asset-unfrozen",
                     "asset-cancelled", "evidence-attached", "participant-registered", "user-created" })
            Assert.Contains(type, seen);
    }

    [Fact]
    public async Task a_directory_entry_a_repeated_name_or_a_path_outside_the_bundle_fails_the_archive_check()
    {
        var files = Files(await Bundle(api, await Active(api)));
        Assert.True(Verify(Zip(files)).Ok);

        var withDirectory = Verify(Zip(files, ("checkpoints/", null)));
        Assert.Equal(["archive"], FailedChecks(withDirectory));
        Assert.Contains("'checkpoints/': a directory entry", Failures(withDirectory, "archive"));

        var twice = Verify(Zip(files, ("REPORT.md", Encoding.UTF8.GetBytes("# Nothing to see here\n"))));
        Assert.Equal(["archive"], FailedChecks(twice));
        Assert.Contains("'REPORT.md' is in the archive more than once", Failures(twice, "archive"));

        var caseTwin = Verify(Zip(files, ("report.md", files["REPORT.md"])));
        Assert.Contains("archive", FailedChecks(caseTwin));

        foreach (var outside in new[] { "../evil.txt", "/etc/evil.txt", "checkpoints/../../evil.txt", "C:/evil.txt", "checkpoints\\evil.txt" })
        {
            var report = Verify(Zip(files, (outside, "x"u8.ToArray())));
            Assert.Contains("archive", FailedChecks(report));
            Assert.Contains($"'{outside}'", Failures(report, "archive"));
        }
    }

    [Fact]
    public async Task an_event_recorded_after_the_checkpoint_that_first_logged_it_fails_the_times_check()
    {
        var files = Files(await Bundle(api, await Active(api)));
        var events = Encoding.UTF8.GetString(files["events.jsonl"]);
        var first = Regex.Match(events, "\"recordedAt\":\"([^\"]+)\"");
        var forged = DateTimeOffset.Parse(first.Groups[1].Value).AddHours(1);
        files["events.jsonl"] = Encoding.UTF8.GetBytes(events.Remove(first.Groups[1].Index, first.Groups[1].Length).Insert(first.Groups[1].Index, BundleFormat.Time(forged)));

        var report = BundleVerifier.Verify(OperatorKeys.Resign(api, files));

        Assert.Equal(["times"], FailedChecks(report));
        Assert.Contains($"recorded at {BundleFormat.Time(forged)}, after checkpoints/", Failures(report, "times"));
    }

    [Fact]
    public async Task a_time_written_in_another_form_fails_the_times_check()
    {
        var files = Files(await Bundle(api, await Active(api)));
        var events = Encoding.UTF8.GetString(files["events.jsonl"]);
        var first = Regex.Match(events, "\"recordedAt\":\"([^\"]+)Z\"");
        // The same instant, with an offset instead of Z: a second spelling the format does not allow.
        files["events.jsonl"] = Encoding.UTF8.GetBytes(events.Remove(first.Groups[1].Index, first.Groups[1].Length + 1).Insert(first.Groups[1].Index, first.Groups[1].Value + "+00:00"));

        var report = BundleVerifier.Verify(OperatorKeys.Resign(api, files));

        Assert.Equal(["times"], FailedChecks(report));
        Assert.Contains("is not a time of the form", Failures(report, "times"));
    }

    [Fact]
    public async Task a_report_that_says_what_the_checked_files_do_not_fails_the_report_check()
    {
        var id = await Active(api);
        var files = Files(await Bundle(api, id));
        Assert.True(BundleVerifier.Verify(OperatorKeys.Resign(api, files)).Ok);

        // The operator re-signs a report that names another owner; every other file is untouched.
        var markdown = Encoding.UTF8.GetString(files["REPORT.md"]);
        Assert.Contains("owner owner-a", markdown);
        var edited = new Dictionary<string, byte[]>(files) { ["REPORT.md"] = Encoding.UTF8.GetBytes(markdown.Replace("owner owner-a", "owner owner-z", StringComparison.Ordinal)) };
        var report = BundleVerifier.Verify(OperatorKeys.Resign(api, edited, renderReport: false));
        Assert.Equal(["report"], FailedChecks(report));
        Assert.Contains("REPORT.md line", Failures(report, "report"));
        Assert.Contains("owner-z", Failures(report, "report"));

        var html = new Dictionary<string, byte[]>(files) { ["report.html"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["report.html"]).Replace("</body>", "<p>Verified by the court.</p></body>", StringComparison.Ordinal)) };
        Assert.Equal(["report"], FailedChecks(BundleVerifier.Verify(OperatorKeys.Resign(api, html, renderReport: false))));
    }

    /// <summary>The bundle's files as a ZIP, then the extra entries (a null content is a directory entry).</summary>
    static byte[] Zip(IReadOnlyDictionary<string, byte[]> files, params (string Name, byte[]? Content)[] extra)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in files.Select(f => (f.Key, (byte[]?)f.Value)).Concat(extra))
            {
                var entry = archive.CreateEntry(name);
                if (bytes is null) continue;
                using var s = entry.Open();
                s.Write(bytes);
            }
        }
        return output.ToArray();
    }
}
