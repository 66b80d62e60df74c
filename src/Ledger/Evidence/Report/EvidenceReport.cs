using System.Globalization;
using System.Text;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using AssetLedger.Ledger.Serialization;
using static System.Net.WebUtility;

namespace AssetLedger.Ledger.Evidence.Report;

/// <summary>
/// The human-readable part of a bundle, a pure rendering of its checked files (docs/evidence-bundle.md §10): the
/// exporter writes it from what it puts in the bundle, and the verifier renders it again from the files it checked
/// and refuses a bundle whose REPORT.md or report.html differ by a byte. The rendering is part of the format.
/// </summary>
public static class EvidenceReport
{
    public const int MaxTimelineRows = 1000;

    /// <summary>One sentence for an event, from its data (the verifier never relies on it).</summary>
    public static string Summarise(string type, string dataJson)
    {
        object e;
        try { e = EventSerializer.Instance.Deserialize(type, dataJson); }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or NotSupportedException) { return type; }
        return e switch
        {
            AssetRegistered r => $"Registered {r.Kind} {r.Key} for {r.Owner}{What(r.Details)}",
            AssetConfirmed c => $"Confirmed ({c.Slot}) by {c.By}{Comment(c.Comment)}",
            AssetRejected j => $"Rejected ({j.Slot}) by {j.By}{Comment(j.Comment)}",
            AssetAmended a => $"Amended{(a.Material ? " (material: needs new confirmations)" : "")}{What(a.Details)}",
            AssetTransferOffered o => $"Offered by {o.From} to {o.To}",
            AssetTransferred t => $"Transferred from {t.From} to {t.To}",
            AssetTransferDeclined d => $"Transfer offer declined by {d.By}",
            AssetTransferWithdrawn w => $"Transfer offer withdrawn by {w.By}",
            AssetTransferredOut o => $"Transferred out to {o.Venue} for {o.Purpose}",
            AssetReturned r => r.Owner == r.PreviousOwner ? $"Returned by {r.Venue} to {r.Owner}" : $"Returned by {r.Venue} to a new owner, {r.Owner} (was {r.PreviousOwner})",
            AssetFrozen f => $"Frozen ({f.Authority}, {f.FreezeId}) by {f.By}: {f.Reason}",
            AssetUnfrozen u => $"Freeze {u.FreezeId} lifted by {u.By}{Comment(u.Reason)}",
            AssetCancelled c => $"Cancelled by {c.By}: {c.Reason}",
            EvidenceAttached x => $"Evidence attached by {x.By}: {x.MediaType} sha256 {x.Sha256}",
            AssetExpired x => $"Expired: the confirmations {string.Join(", ", x.MissingSlots)} were not in by {x.Deadline:O}",
            AssetReleaseRequested r => $"Release of {r.Quantity.Value} {r.Quantity.Unit} against delivery order {r.DeliveryOrder} requested by {r.By}",
            AssetReleaseDeclined d => $"Release against delivery order {d.DeliveryOrder} refused by {d.By}{Comment(d.Comment)}",
            AssetGoodsReleased g => $"{g.Released.Value} {g.Released.Unit} released against delivery order {g.DeliveryOrder} by {g.By}"
                + (g.ConsentedBy is { } v && v != g.By ? $" with the consent of {v}" : "") + $"; {g.Remaining.Value} {g.Remaining.Unit} remain",
            AssetSplit x => $"Split by {x.By} into {string.Join(", ", x.Parts.Select(p => $"{p.ReceiptNumber} ({p.Quantity.Value} {p.Quantity.Unit}, asset {p.Asset})"))}; this receipt is closed",
            AssetSplitOff o => $"Split off from asset {o.Parent} (its event {o.ParentVersion}) by {o.By}: {o.Key}, {o.Details.Quantity?.Value} {o.Details.Quantity?.Unit} for {o.Owner}",
            IotAlarmRaised x => $"IoT alarm {x.AlarmId} ({x.Severity}) from device {x.Device}, rule {x.RuleId} v{x.RuleVersion}, readings {string.Join(", ", x.Counters)}: {x.Detail}",
            IotAlarmClearanceGiven g => $"{g.By} agreed to clear IoT alarm {g.AlarmId}{Comment(g.Remark)}",
            IotAlarmCleared c => $"IoT alarm {c.AlarmId} cleared by {string.Join(" and ", c.ClearedBy)}{(c.Unfroze ? ", its freeze lifted" : "")}{Comment(c.Remark)}",
            ParticipantRegistered p => $"Participant {p.Participant} ({p.Name}) registered with roles {string.Join(", ", p.Roles)}",
            ParticipantSigningKeyRegistered k => $"{k.Participant} registered signing key {k.KeyId}",
            IParticipantEvent p => $"{type} for {p.Participant}",
            _ => type,
        };
    }

    /// <summary>Facts of a replayed asset state, for the report's heading.</summary>
    public static IReadOnlyList<string> Facts(AssetState s) =>
    [
        $"Kind {s.Kind}, key {s.Key}",
        $"Status {s.Status}, version {s.Version}, owner {s.Owner}",
        .. s.Details.Quantity is { } q ? [$"{q.Value} {q.Unit} of {s.Details.Commodity} at {s.Details.Warehouse}"] : Array.Empty<string>(),
        .. s.Details.Amount is { } m ? [$"{m.Value} {m.Currency} owed by {s.Details.Debtor}"] : Array.Empty<string>(),
        .. s.Custody is { } c ? [$"Out with {c.Venue} for {c.Purpose} since {Time(c.Since)}"] : Array.Empty<string>(),
        .. s.PendingOffer is { } o ? [$"Offered to {o.To} since {Time(o.Since)}"] : Array.Empty<string>(),
        .. s.Freezes.Values.Select(f => $"Frozen ({f.Authority}) by {f.By} since {Time(f.Since)}: {f.Reason}"),
        $"Confirmations: {(s.Confirmations.IsEmpty ? "none" : string.Join(", ", s.Confirmations.Select(c => $"{c.Key} by {c.Value}")))}",
    ];

    public static string Markdown(ReportModel m)
    {
        var md = new StringBuilder(16_384);
        md.Append("# ").Append(m.Title).Append("\n\n");
        md.Append(m.Subject).Append("\n\n");
        foreach (var fact in m.StateFacts) md.Append("* ").Append(Cell(fact)).Append('\n');
        if (m.StateFacts.Count > 0) md.Append('\n');
        md.Append("## What this bundle proves\n\n");
        md.Append("* Log: `").Append(m.Origin).Append("`, signed checkpoint of **").Append(m.TreeSize.ToString("N0", CultureInfo.InvariantCulture))
          .Append("** events at ").Append(Time(m.CheckpointTime)).Append(", root `").Append(m.RootHash).Append("`\n");
        foreach (var a in m.Anchors) md.Append("* Anchored: ").Append(Cell(a)).Append('\n');
        md.Append("* ").Append(m.TotalEvents.ToString("N0", CultureInfo.InvariantCulture)).Append(" events, each with an inclusion proof in that checkpoint")
          .Append(m.ParticipantEvents > 0 ? $"; {m.ParticipantEvents} events of the signers' participant streams" : "")
          .Append(m.EarlierCheckpoints > 0 ? $"; {m.EarlierCheckpoints} earlier checkpoints with consistency proofs" : "").Append('\n');
        md.Append("* Ledger key `").Append(m.LedgerKey).Append("`\n* Anchor key `").Append(m.AnchorKey).Append("`\n");
        md.Append("* Generated ").Append(Time(m.GeneratedAt)).Append("\n\n");

        md.Append("## Timeline\n\n");
        md.Append("| # | Position | Recorded (UTC) | Event | Actor | Signed | Hash | Logged by checkpoint |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var e in m.Timeline)
            md.Append("| ").Append(e.StreamId.StartsWith("asset-", StringComparison.Ordinal) ? e.Version.ToString(CultureInfo.InvariantCulture) : $"{e.StreamId} v{e.Version}")
              .Append(" | ").Append(e.Position).Append(" | ").Append(Time(e.RecordedAt)).Append(" | ").Append(Cell($"{e.Type}: {e.Summary}"))
              .Append(" | ").Append(Cell(Actor(e))).Append(" | ").Append(e.SignedWithKey is { } k ? $"ES256 key `{k}`" : "—")
              .Append(" | `").Append(e.Hash[..16]).Append("…` | ").Append(e.LoggedBy?.ToString(CultureInfo.InvariantCulture) ?? "—").Append(" |\n");
        if (m.TotalEvents > m.Timeline.Count)
            md.Append("\n… and ").Append((m.TotalEvents - m.Timeline.Count).ToString("N0", CultureInfo.InvariantCulture)).Append(" more events in `events.jsonl`.\n");

        md.Append("\n## Who signed what\n\n");
        var signed = m.Timeline.Where(e => e.SignedWithKey is not null).ToList();
        if (signed.Count == 0 && m.SigningKeys.Count == 0) md.Append("No command in this bundle was signed by a client key.\n");
        foreach (var (participant, keyId, position) in m.SigningKeys)
            md.Append("* `").Append(participant).Append("` registered ES256 key `").Append(keyId).Append("` at position ").Append(position).Append('\n');
        foreach (var e in signed)
            md.Append("* ").Append(Cell(Actor(e))).Append(" signed the command behind position ").Append(e.Position).Append(" (").Append(e.Type).Append(") with key `").Append(e.SignedWithKey).Append("`\n");

        md.Append("\n## How to check it\n\n");
        md.Append("Without trusting the operator, and without a network:\n\n```\ndotnet run --project src/Cli -- verify ").Append(m.BundleName)
          .Append(" --ledger-key '").Append(m.LedgerKey).Append("'\n```\n\n");
        md.Append("Compare the ledger key with the one the registry publishes (`GET /api/v1/ledger/keys`). The format is described in ")
          .Append("`docs/evidence-bundle.md`; every file but `manifest.json` and `manifest.sig` is listed with its SHA-256 in `manifest.json`.\n");
        return md.ToString();
    }

    const string Style =
        """
        body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;color:#1d232a;max-width:90rem}
        h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #d0d7de}
        table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e5e8eb;padding:.35rem .5rem;text-align:left;vertical-align:top}
        th{background:#f4f6f8;font-weight:600}code{font-size:.85rem;color:#57606a}.signed{color:#1a7f37;font-weight:600}
        """;

    public static string Html(ReportModel m)
    {
        var h = new StringBuilder(32_768);
        h.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(HtmlEncode(m.Title)).Append("</title><style>")
         .Append(Style).Append("</style></head><body>");
        h.Append("<h1>").Append(HtmlEncode(m.Title)).Append("</h1><p>").Append(HtmlEncode(m.Subject)).Append("</p>");
        if (m.StateFacts.Count > 0)
        {
            h.Append("<ul>");
            foreach (var f in m.StateFacts) h.Append("<li>").Append(HtmlEncode(f)).Append("</li>");
            h.Append("</ul>");
        }
        h.Append("<h2>What this bundle proves</h2><ul>");
        h.Append("<li>Log <code>").Append(HtmlEncode(m.Origin)).Append("</code>, signed checkpoint of <b>").Append(m.TreeSize.ToString("N0", CultureInfo.InvariantCulture))
         .Append("</b> events at ").Append(Time(m.CheckpointTime)).Append(", root <code>").Append(m.RootHash).Append("</code></li>");
        foreach (var a in m.Anchors) h.Append("<li>Anchored: ").Append(HtmlEncode(a)).Append("</li>");
        h.Append("<li>").Append(m.TotalEvents.ToString("N0", CultureInfo.InvariantCulture)).Append(" events, each with an inclusion proof in that checkpoint</li>");
        h.Append("<li>Ledger key <code>").Append(HtmlEncode(m.LedgerKey)).Append("</code></li><li>Anchor key <code>").Append(HtmlEncode(m.AnchorKey)).Append("</code></li>");
        h.Append("<li>Generated ").Append(Time(m.GeneratedAt)).Append("</li></ul>");

        h.Append("<h2>Timeline</h2><table><thead><tr><th>#</th><th>Position</th><th>Recorded (UTC)</th><th>Event</th><th>Actor</th><th>Signed</th><th>Hash</th><th>Logged by checkpoint</th></tr></thead><tbody>");
        foreach (var e in m.Timeline)
            h.Append("<tr><td>").Append(HtmlEncode(e.StreamId.StartsWith("asset-", StringComparison.Ordinal) ? e.Version.ToString(CultureInfo.InvariantCulture) : $"{e.StreamId} v{e.Version}"))
             .Append("</td><td>").Append(e.Position).Append("</td><td>").Append(Time(e.RecordedAt)).Append("</td><td><b>").Append(HtmlEncode(e.Type)).Append("</b><br>")
             .Append(HtmlEncode(e.Summary)).Append("</td><td>").Append(HtmlEncode(Actor(e))).Append("</td><td>")
             .Append(e.SignedWithKey is { } k ? $"<span class=\"signed\">ES256</span> <code>{HtmlEncode(k)}</code>" : "—")
             .Append("</td><td><code title=\"").Append(e.Hash).Append("\">").Append(e.Hash[..16]).Append("…</code></td><td>")
             .Append(e.LoggedBy?.ToString(CultureInfo.InvariantCulture) ?? "—").Append("</td></tr>");
        h.Append("</tbody></table>");
        if (m.TotalEvents > m.Timeline.Count)
            h.Append("<p>… and ").Append((m.TotalEvents - m.Timeline.Count).ToString("N0", CultureInfo.InvariantCulture)).Append(" more events in <code>events.jsonl</code>.</p>");

        h.Append("<h2>Who signed what</h2><ul>");
        foreach (var (participant, keyId, position) in m.SigningKeys)
            h.Append("<li><code>").Append(HtmlEncode(participant)).Append("</code> registered ES256 key <code>").Append(HtmlEncode(keyId)).Append("</code> at position ").Append(position).Append("</li>");
        foreach (var e in m.Timeline.Where(e => e.SignedWithKey is not null))
            h.Append("<li>").Append(HtmlEncode(Actor(e))).Append(" signed the command behind position ").Append(e.Position).Append(" (").Append(HtmlEncode(e.Type))
             .Append(") with key <code>").Append(HtmlEncode(e.SignedWithKey!)).Append("</code></li>");
        if (m.SigningKeys.Count == 0 && !m.Timeline.Any(e => e.SignedWithKey is not null)) h.Append("<li>No command in this bundle was signed by a client key.</li>");
        h.Append("</ul><h2>How to check it</h2><p>Offline: <code>dotnet run --project src/Cli -- verify ").Append(HtmlEncode(m.BundleName))
         .Append("</code>, then compare the ledger key with <code>GET /api/v1/ledger/keys</code>. Format: <code>docs/evidence-bundle.md</code>.</p>");
        h.Append("</body></html>\n");
        return h.ToString();
    }

    static string Actor(ReportEvent e) => e.Actor is null ? "—" : e.User is null ? e.Actor : $"{e.Actor} ({e.User})";

    static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    static string What(AssetDetails d) =>
        d.Quantity is { } q ? $": {q.Value} {q.Unit} of {d.Commodity} at {d.Warehouse}"
        : d.Amount is { } m ? $": {m.Value} {m.Currency} owed by {d.Debtor}"
        : d.Title is { } t ? $": {t}" : "";

    static string Comment(string? text) => string.IsNullOrWhiteSpace(text) ? "" : $" — {text}";
}
