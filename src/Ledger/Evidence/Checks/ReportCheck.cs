using System.Globalization;
using System.Text.Json;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Participants;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Evidence.Report;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// REPORT.md and report.html are exactly the rendering (<see cref="EvidenceReport"/>) of the files the other checks
/// judged: what a person reads says what the evidence says, and nothing else (docs/evidence-bundle.md §10).
/// </summary>
static class ReportCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var (model, why) = Model(bundle);
        if (model is null) failures.Add($"the report cannot be rendered from the bundle: {why}");
        else
        {
            Compare(BundleFormat.ReportMarkdown, bundle.Text(BundleFormat.ReportMarkdown), EvidenceReport.Markdown(model), failures);
            Compare(BundleFormat.ReportHtml, bundle.Text(BundleFormat.ReportHtml), EvidenceReport.Html(model), failures);
        }
        return VerificationCheck.From("report", failures, $"{BundleFormat.ReportMarkdown} and {BundleFormat.ReportHtml} are the rendering of the checked files");
    }

    static void Compare(string file, string? actual, string expected, List<string> failures)
    {
        if (actual is null) { failures.Add($"{file} is missing"); return; }
        if (actual == expected) return;
        var (a, e) = (actual.Split('\n'), expected.Split('\n'));
        var line = Enumerable.Range(0, Math.Min(a.Length, e.Length)).FirstOrDefault(i => a[i] != e[i], Math.Min(a.Length, e.Length));
        failures.Add($"{file} line {line + 1} is not what the checked files say: it reads {Shorten(line < a.Length ? a[line] : "(end of file)")}, the rendering {Shorten(line < e.Length ? e[line] : "(end of file)")}");
    }

    static string Shorten(string text) => text.Length <= 160 ? $"\"{text}\"" : $"\"{text[..160]}…\"";

    /// <summary>The report's model from the bundle's files, as the exporter builds it from what it writes.</summary>
    internal static (ReportModel?, string?) Model(ParsedBundle bundle)
    {
        var m = bundle.Manifest;
        if (bundle.MainCheckpoint is not { } checkpoint) return (null, $"{m.CheckpointFile} is missing");
        if (!DateTimeOffset.TryParse(m.GeneratedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var generatedAt))
            return (null, $"{BundleFormat.Manifest}: generatedAt is not a time");
        var assetId = m.AssetStream?["asset-".Length..];
        var anchors = new List<string>();
        if (bundle.Anchors.Value.ValueKind == JsonValueKind.Object && bundle.Anchors.Value.TryGetProperty("receipts", out var receipts) && receipts.ValueKind == JsonValueKind.Array)
            foreach (var r in receipts.EnumerateArray())
                if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("treeSize", out var size) && size.TryGetInt64(out var n) && n == m.TreeSize)
                    anchors.Add(ReportModel.AnchorLine(Str(r, "anchor"), Str(r, "transactionReference"), Str(r, "anchoredAt")));
        var timeline = bundle.Main.Take(EvidenceReport.MaxTimelineRows).Select(e => ReportEvent.Of(e.Position, e.StreamId, e.Version, e.EventId, e.Type, e.RecordedAt, e.Hash,
            e.Metadata, e.Data, bundle.Proofs.TryGetValue(e.Position, out var p) ? p.FirstCheckpoint : null)).ToList();
        var keys = new List<(string, string, long)>();
        foreach (var e in bundle.ParticipantEvents.Where(e => e.Type == "participant-signing-key-registered"))
        {
            try { if (EventSerializer.Instance.Deserialize(e.Type, e.Data) is ParticipantSigningKeyRegistered k) keys.Add((k.Participant.Value, k.KeyId, e.Position)); }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException) { }
        }
        var states = new Dictionary<string, AssetState>(StringComparer.Ordinal);
        if (m.AssetStream is { } stream)
            foreach (var e in bundle.Main.Where(e => e.StreamId == stream)) ReportModel.Fold(states, e.StreamId, e.Version, e.Type, e.Data);
        var facts = m.AssetStream is { } s && states.TryGetValue(s, out var state) ? EvidenceReport.Facts(state) : [];
        var search = m.Kind == "search";
        return (new ReportModel(ReportModel.TitleOf(assetId, m.RangeFrom, m.RangeTo, search), ReportModel.SubjectOf(assetId, m.Origin, m.RangeFrom, m.RangeTo, m.TreeSize, search),
            generatedAt, m.Origin, m.LedgerKey.VerifierKey, m.AnchorKey.VerifierKey, m.TreeSize, Convert.ToHexStringLower(checkpoint.Root), checkpoint.Timestamp,
            anchors, timeline, bundle.Main.Count, keys, facts, bundle.ParticipantEvents.Count, bundle.CheckpointFiles.Count(f => f.Size != m.TreeSize),
            ReportModel.FileNameOf(assetId, m.RangeFrom, m.RangeTo, m.TreeSize, search)), null);
    }

    static string Str(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
}
