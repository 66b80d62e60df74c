using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// One time format (docs/evidence-bundle.md, "Times"): the bundle's own times (<c>recordedAt</c>, <c>anchoredAt</c>,
/// <c>generatedAt</c>) are RFC 3339 UTC with six fractional digits and <c>Z</c>; times inside hashed event data cannot be
/// rewritten, so their canonical form is the one the event serializer writes, and each event's data must be exactly the
/// canonical JSON of the event it reads as. And the <c>recordedAt</c> bound: no event was recorded after the checkpoint
/// that first logged it was signed (with <see cref="AllowedSkew"/> between the database's and the signer's clocks).
/// </summary>
static partial class TimesCheck
{
    /// <summary>The database stamps <c>recordedAt</c>, the checkpoint cutter its timestamp, on clocks that may differ this much.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromSeconds(1);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", RegexOptions.CultureInvariant)]
    private static partial Regex BundleTime();

    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        if (bundle.Manifest.GeneratedAt is not { } generated || !IsBundleTime(generated))
            failures.Add($"{BundleFormat.Manifest}: generatedAt '{bundle.Manifest.GeneratedAt}' is not a time of the form {BundleFormat.Time(DateTimeOffset.UnixEpoch)}");
        if (bundle.Anchors.Value.ValueKind == JsonValueKind.Object && bundle.Anchors.Value.TryGetProperty("receipts", out var receipts) && receipts.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var r in receipts.EnumerateArray())
            {
                i++;
                var at = r.ValueKind == JsonValueKind.Object && r.TryGetProperty("anchoredAt", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
                if (at is null || !IsBundleTime(at)) failures.Add($"{BundleFormat.Anchors} receipt {i}: anchoredAt '{at}' is not a time of the form {BundleFormat.Time(DateTimeOffset.UnixEpoch)}");
            }
        }
        int bounded = 0, unknown = 0;
        foreach (var e in bundle.AllEvents)
        {
            if (!IsBundleTime(e.RecordedAtText)) failures.Add($"{e.Where}: recordedAt '{e.RecordedAtText}' is not a time of the form {BundleFormat.Time(DateTimeOffset.UnixEpoch)}");
            // A type the Domain does not know cannot be judged here; replay and the signed-command check refuse it in the streams they fold.
            if (!EventSerializer.Instance.Knows(e.Type)) unknown++;
            else if (DataProblem(e) is { } problem) failures.Add($"{e.Where}: {problem}");
            var first = bundle.Proofs.TryGetValue(e.Position, out var p) && p.FirstCheckpoint is { } m && bundle.Checkpoints.ContainsKey(m) ? m : bundle.Manifest.TreeSize;
            if (!bundle.Checkpoints.TryGetValue(first, out var checkpoint)) continue;
            if (e.RecordedAt > checkpoint.Timestamp + AllowedSkew)
                failures.Add($"{e.Where}: recorded at {e.RecordedAtText}, after {checkpoint.File} that logged it was signed ({BundleFormat.Time(checkpoint.Timestamp)}, {AllowedSkew.TotalSeconds:0} s allowed)");
            else bounded++;
        }
        return VerificationCheck.From("times", failures,
            $"every time in its one form; {bounded} events recorded no later than the checkpoint that first logged them"
            + (unknown > 0 ? $"; {unknown} events of types the format does not define (their data not checked)" : ""));
    }

    static bool IsBundleTime(string text) =>
        BundleTime().IsMatch(text)
        && DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    /// <summary>Why the event's data is not the canonical JSON of the event it reads as (its times included), or null.</summary>
    static string? DataProblem(BundleEvent e)
    {
        try
        {
            var (_, _, json) = EventSerializer.Instance.Serialize(EventSerializer.Instance.Deserialize(e.Type, e.Data));
            var canonical = Jcs.Canonicalize(json);
            return canonical == Jcs.Canonicalize(e.Data) ? null
                : $"data is not in the canonical form of a {e.Type} event (times as the serializer writes them, members as documented): it reads as {Shorten(canonical)}";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException or ArgumentException)
        {
            return $"data is not a {e.Type} event ({ex.Message})";
        }
    }

    static string Shorten(string text) => text.Length <= 240 ? text : text[..240] + "…";
}
