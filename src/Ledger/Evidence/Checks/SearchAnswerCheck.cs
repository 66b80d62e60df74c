using System.Text.Json;
using AssetLedger.Ledger.Evidence.Parsing;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// A search certificate's answer (search.json, docs/search-certificate.md) is what its proven events say: each
/// registration it lists has its stream's events in the bundle, beginning with the registration-made event of that
/// number and debtor; each pledge it lists is an asset-transferred-out event for financing at the position it names.
/// The manifest lists search.json with its SHA-256, and the ledger key signs the manifest: criteria, time and answer are
/// the registry's own words, bound to the checkpoint every event is proven in.
/// </summary>
static class SearchAnswerCheck
{
    public const string Name = "search answer";

    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var text = bundle.Text(BundleFormat.SearchAnswer);
        if (text is null) return VerificationCheck.From(Name, [$"{BundleFormat.SearchAnswer} is missing"], "");
        int registrations = 0, pledges = 0;
        string criteria = "?", paged = "";
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            criteria = root.GetProperty("criteria").GetRawText();
            if (root.GetProperty("treeSize").GetInt64() != bundle.Manifest.TreeSize)
                failures.Add($"{BundleFormat.SearchAnswer}: treeSize is not the bundle's checkpoint {bundle.Manifest.TreeSize}");
            if (root.TryGetProperty("page", out var page))
            {
                failures.AddRange(PageProblems(root, page));
                paged = $" (page {page.GetProperty("number").GetInt32()} of {page.GetProperty("of").GetInt32()}: {page.GetProperty("count").GetInt32()} of {page.GetProperty("total").GetInt32()} matches, all listed)";
            }
            foreach (var r in root.GetProperty("registrations").EnumerateArray())
            {
                registrations++;
                var stream = r.GetProperty("streamId").GetString() ?? "";
                var number = r.GetProperty("number").GetString();
                if (!bundle.Streams.ByStream.TryGetValue(stream, out var events) || events.Count == 0) { failures.Add($"{BundleFormat.SearchAnswer}: registration {number}: no event of {stream} in {BundleFormat.Events}"); continue; }
                var first = events[0];
                using var data = JsonDocument.Parse(first.Data);
                if (first.Version != 1 || first.Type != "registration-made" || data.RootElement.GetProperty("number").GetString() != number
                    || data.RootElement.GetProperty("debtor").GetProperty("creditCode").GetString() != r.GetProperty("debtorCreditCode").GetString())
                    failures.Add($"{BundleFormat.SearchAnswer}: registration {number}: {stream} does not begin with the registration-made event of that number and debtor");
            }
            foreach (var p in root.GetProperty("pledges").EnumerateArray())
            {
                pledges++;
                var position = p.GetProperty("lockId").GetInt64();
                var e = bundle.Main.FirstOrDefault(x => x.Position == position);
                if (e is null) { failures.Add($"{BundleFormat.SearchAnswer}: pledge at position {position}: no such event in {BundleFormat.Events}"); continue; }
                using var data = JsonDocument.Parse(e.Data);
                if (e.Type != "asset-transferred-out" || e.StreamId != p.GetProperty("streamId").GetString() || data.RootElement.GetProperty("purpose").GetString() != "Financing")
                    failures.Add($"{e.Where}: is not the transfer out for financing of {p.GetProperty("streamId").GetString()} that {BundleFormat.SearchAnswer} names");
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            failures.Add($"{BundleFormat.SearchAnswer} is not a search answer: {e.Message}");
        }
        return VerificationCheck.From(Name, failures,
            $"{registrations} registration{(registrations == 1 ? "" : "s")} and {pledges} pledge{(pledges == 1 ? "" : "s")} answered for {criteria}{paged}, each proven by its events");
    }

    /// <summary>
    /// A page's claims against the whole answer it lists in <c>matches</c>: the count of matches, how many pages they
    /// make at its size, and that it proves exactly its slice of them (registrations first, then pledges, in order).
    /// </summary>
    static IEnumerable<string> PageProblems(JsonElement root, JsonElement page)
    {
        const string where = BundleFormat.SearchAnswer;
        int number = page.GetProperty("number").GetInt32(), of = page.GetProperty("of").GetInt32(), size = page.GetProperty("size").GetInt32();
        int first = page.GetProperty("first").GetInt32(), count = page.GetProperty("count").GetInt32(), total = page.GetProperty("total").GetInt32();
        var matches = root.GetProperty("matches");
        var all = matches.GetProperty("registrations").EnumerateArray().Select(r => $"registration {r.GetString()}")
            .Concat(matches.GetProperty("pledges").EnumerateArray().Select(p => $"pledge {p.GetInt64()}")).ToList();
        var listed = root.GetProperty("registrations").EnumerateArray().Select(r => $"registration {r.GetProperty("number").GetString()}")
            .Concat(root.GetProperty("pledges").EnumerateArray().Select(p => $"pledge {p.GetProperty("lockId").GetInt64()}")).ToList();
        if (size < 1) { yield return $"{where}: page size {size} is not a positive number"; yield break; }
        if (total != all.Count) yield return $"{where}: the page says the answer has {total} matches, but it lists {all.Count}";
        var pages = Math.Max(1, (all.Count + size - 1) / size);
        if (of != pages) yield return $"{where}: {all.Count} matches at {size} a page make {pages} page(s), not the {of} it says";
        if (number < 1 || number > pages) { yield return $"{where}: there is no page {number} of {pages}"; yield break; }
        var from = (number - 1) * size;
        if (first != from + 1) yield return $"{where}: page {number} at {size} a page begins at match {from + 1}, not the {first} it says";
        if (count != listed.Count) yield return $"{where}: the page says it proves {count} matches, but it carries {listed.Count}";
        var slice = all.Skip(from).Take(size).ToList();
        if (!slice.SequenceEqual(listed))
            yield return $"{where}: page {number} must prove matches {from + 1}–{from + slice.Count} of the answer ({string.Join(", ", slice.Take(3))}{(slice.Count > 3 ? ", …" : "")}), "
                + $"but it proves {listed.Count}: {string.Join(", ", listed.Take(3))}{(listed.Count > 3 ? ", …" : "")}";
    }
}
