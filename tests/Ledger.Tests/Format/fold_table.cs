using System.Reflection;
using System.Text.RegularExpressions;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;

namespace AssetLedger.Ledger.Tests.Format;

/// <summary>
/// docs/evidence-bundle.md §8 gives replay as a table (event type → state change) so that a second implementation can
/// fold without reading C#: every event type the verifier folds has exactly one row, and no row names another.
/// </summary>
public sealed class fold_table
{
    [Fact]
    public void every_folded_event_type_has_one_row_in_the_documented_fold()
    {
        var doc = File.ReadAllText(Path.Combine(BundleSchemas.RepoRoot, "docs", "evidence-bundle.md"));
        var start = doc.IndexOf("\n## 8.", StringComparison.Ordinal);
        var end = doc.IndexOf("\n## 9.", start, StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, "docs/evidence-bundle.md has no §8 before §9");
        var rows = Regex.Matches(doc[start..end], @"^\| `([a-z-]+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        var folded = AssetEventTypes.All.Concat(ParticipantEventTypes.All).Select(t => t.GetCustomAttribute<StoredEventAttribute>()!.Name).Order(StringComparer.Ordinal);
        Assert.Equal(folded, rows.Order(StringComparer.Ordinal));
    }
}
