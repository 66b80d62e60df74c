using System.Globalization;
using System.Text;
using AssetLedger.Projections.Assets;
using AssetLedger.Projections.Trace;
using static System.Net.WebUtility;

namespace AssetLedger.Api.Endpoints;

/// <summary>
/// An asset's trace as one self-contained HTML page (no script, an inline stylesheet) for a person in a browser: the chain
/// of custody, then every event with a green mark when its proof is anchored and a red one while it is not yet.
/// Every value from the registry is HTML-encoded.
/// </summary>
public static class TimelinePage
{
    const string Style =
        """
        body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;color:#1d232a;max-width:80rem}
        h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #d0d7de}
        table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e5e8eb;padding:.35rem .5rem;text-align:left;vertical-align:top}
        th{background:#f4f6f8;font-weight:600}.facts,.snapshot{margin:.2rem 0}.snapshot{color:#57606a;font-size:.9rem}
        .mark{display:inline-block;min-width:1.4rem;text-align:center;font-weight:700;border-radius:.7rem;padding:0 .35rem;color:#fff}
        .mark.ok{background:#1a7f37}.mark.pending{background:#cf222e}code{font-size:.85rem;color:#57606a}
        .open{font-weight:600}.legend{font-size:.9rem;color:#57606a}footer{margin-top:2rem;font-size:.85rem;color:#57606a}
        """;

    /// <summary>
    /// The page's policy: nothing loads but its own stylesheet, allowed by its hash, so injected markup could neither
    /// run a script nor restyle the page, nor be framed or submit a form.
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static string Render(AssetTrace t)
    {
        var a = t.Asset;
        var html = new StringBuilder(16_384);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Trace of ")
            .Append(HtmlEncode(a.NaturalKey)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<h1>Asset trace: ").Append(HtmlEncode($"{a.Kind} {a.NaturalKey}")).Append("</h1>");
        var owner = t.Ownership.LastOrDefault()?.Owner;
        html.Append("<p class=\"facts\">Status <b>").Append(a.Status).Append("</b> · owner ").Append(Who(owner) ?? HtmlEncode(a.OwnerId))
            .Append(" · version ").Append(a.Version).Append(" · registered ").Append(Time(a.RegisteredAt)).Append(" · last change ").Append(Time(a.LastChangedAt))
            .Append(What(a)).Append("</p>");
        var s = t.Snapshot;
        html.Append("<p class=\"snapshot\">One snapshot, taken ").Append(Time(s.TakenAt)).Append(": read models at log position ").Append(s.ProjectedThrough)
            .Append(", Merkle tree of ").Append(s.TreeSize).Append(" events, ")
            .Append(s.LatestCheckpoint is { } c ? $"latest signed checkpoint {c} at {Time(s.LatestCheckpointAt!.Value)}" : "no signed checkpoint yet").Append(".</p>");

        html.Append("<h2>Chain of custody</h2><table class=\"custody\"><thead><tr><th>From</th><th>Until</th><th>Held by</th><th>As</th></tr></thead><tbody>");
        var custody = t.Ownership.Select(o => (From: o.From, Order: o.FromPosition, To: o.To, Who: Who(o.Owner), As: "Owner"))
            .Concat(t.Locks.Where(l => l.Kind == EncumbranceKind.Custody).Select(l => (From: l.PlacedAt, Order: l.PlacedPosition, To: l.LiftedAt, Who: Who(l.Counterparty),
                As: l.Purpose == "Financing" ? "Venue: pledged for financing" : "Venue: out for trade")))
            .OrderBy(x => x.Order);
        foreach (var (from, _, to, who, role) in custody)
            html.Append("<tr").Append(to is null ? " class=\"open\"" : "").Append("><td>").Append(Time(from)).Append("</td><td>")
                .Append(to is { } end ? Time(end) : "now").Append("</td><td>").Append(who).Append("</td><td>").Append(role).Append("</td></tr>");
        html.Append("</tbody></table>");

        html.Append("<h2>Timeline</h2><p class=\"legend\"><span class=\"mark ok\">✔</span> proof anchored · <span class=\"mark pending\">✘</span> not anchored yet</p>");
        html.Append("<table class=\"events\"><thead><tr><th>Proof</th><th>#</th><th>Time (UTC)</th><th>Event</th><th>Actor</th><th>Hash</th><th>Proof status</th></tr></thead><tbody>");
        foreach (var e in t.Events)
        {
            var ok = e.Proof.State == ProofState.Anchored;
            html.Append("<tr><td><span class=\"mark ").Append(ok ? "ok\" title=\"anchored\">✔" : "pending\" title=\"not anchored yet\">✘").Append("</span></td><td>")
                .Append(e.Version).Append("</td><td>").Append(Time(e.At)).Append("</td><td>").Append(HtmlEncode(e.Summary)).Append("</td><td>")
                .Append(e.Actor is { } actor ? $"{Who(new ParticipantRef(actor.Id, actor.Name, actor.Roles))} as {HtmlEncode(actor.ActingAs)}" : "—")
                .Append("</td><td><code title=\"").Append(HtmlEncode(e.Hash)).Append("\">").Append(HtmlEncode(e.Hash[..16])).Append("…</code></td><td>")
                .Append(e.Proof.State).Append(": ").Append(HtmlEncode(e.Proof.Description)).Append("</td></tr>");
        }
        html.Append("</tbody></table>");

        html.Append("<h2>Locks</h2>");
        if (t.Locks.Count == 0) html.Append("<p>No lock was ever placed on this asset.</p>");
        else
        {
            html.Append("<table class=\"locks\"><thead><tr><th>Lock</th><th>Placed</th><th>By</th><th>Lifted</th><th>By</th></tr></thead><tbody>");
            foreach (var l in t.Locks)
                html.Append("<tr").Append(l.LiftedAt is null ? " class=\"open\"" : "").Append("><td>").Append(HtmlEncode(LockText(l))).Append("</td><td>")
                    .Append(Time(l.PlacedAt)).Append("</td><td>").Append(Who(l.PlacedBy)).Append("</td><td>")
                    .Append(l.LiftedAt is { } lifted ? $"{Time(lifted)} ({HtmlEncode(l.LiftedHow ?? "")})" : "open").Append("</td><td>")
                    .Append(Who(l.LiftedBy) ?? "").Append("</td></tr>");
            html.Append("</tbody></table>");
        }

        html.Append("<h2>Evidence</h2>");
        if (t.Evidence.Count == 0) html.Append("<p>No evidence attached.</p>");
        else
        {
            html.Append("<table class=\"evidence\"><thead><tr><th>Attached</th><th>By</th><th>What</th><th>SHA-256</th></tr></thead><tbody>");
            foreach (var x in t.Evidence)
                html.Append("<tr><td>").Append(Time(x.At)).Append("</td><td>").Append(Who(x.By)).Append("</td><td>")
                    .Append(HtmlEncode($"{x.Description} ({x.MediaType}, {x.Source})")).Append("</td><td><code>").Append(HtmlEncode(x.Sha256)).Append("</code></td></tr>");
            html.Append("</tbody></table>");
        }

        html.Append("<footer>Verify an event yourself: GET /api/v1/ledger/proofs/inclusion?position={position}&amp;treeSize={checkpoint} gives its RFC 9162 ")
            .Append("inclusion proof against the signed checkpoint, and GET /api/v1/ledger/anchors?treeSize={checkpoint} the anchor receipt. Asset id ")
            .Append(HtmlEncode(a.Id)).Append(".</footer></body></html>");
        return html.ToString();
    }

    static string? Who(ParticipantRef? p) => p is null ? null : p.Name is { } n ? $"{HtmlEncode(n)} ({HtmlEncode(p.Id)})" : HtmlEncode(p.Id);

    static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    static string What(AssetView a) => HtmlEncode(
        a.Quantity is not null ? $" · {a.Quantity} {a.QuantityUnit} of {a.Commodity} at {a.WarehouseId}"
        : a.Amount is not null ? $" · {a.Amount} {a.Currency} owed by {a.DebtorId}"
        : a.Title is not null ? $" · {a.Title}" : "");

    static string LockText(TraceLock l) => l.Kind switch
    {
        EncumbranceKind.Custody => $"Custody at {l.Counterparty?.Name ?? l.Counterparty?.Id} ({l.Purpose})",
        EncumbranceKind.Freeze => $"Freeze {l.FreezeId} ({l.Authority}): {l.Reason}",
        _ => $"Transfer offer to {l.Counterparty?.Name ?? l.Counterparty?.Id}",
    };
}
