using AssetLedger.Domain.Assets;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Rules;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// The events are in order (an asset bundle: its stream by version, after, for a part of a split receipt, its parent's up to
/// the split; a ledger bundle: every position of the range; a search certificate: log order, each registration's stream whole),
/// no position holds two events, and each stream is an unbroken hash chain from version 1 or the start of the range.
/// </summary>
static class StreamChainsCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var m = bundle.Manifest;
        var main = bundle.Main;
        if (m.Kind == "asset")
        {
            var lineage = Lineage(bundle);
            foreach (var e in main.Where(e => !lineage.TryGetValue(e.StreamId, out var upTo) || e.Version > upTo))
                failures.Add(lineage.ContainsKey(e.StreamId) ? $"{e.Where}: after the split its part {m.AssetStream} came from" : $"{e.Where}: not an event of {m.AssetStream}");
            // One stream's version order is its log order; with a parent's history before the part's, log order is the rule.
            for (var i = 1; i < main.Count; i++)
                if (main[i].Position <= main[i - 1].Position) failures.Add($"{main[i].Where}: comes after position {main[i - 1].Position}; {BundleFormat.Events} is in log order");
        }
        else if (m.Kind == "search")
        {
            // A certificate holds whole registration streams and single lock events: in log order, with gaps between them.
            for (var i = 1; i < main.Count; i++)
                if (main[i].Position <= main[i - 1].Position) failures.Add($"{main[i].Where}: comes after position {main[i - 1].Position}; {BundleFormat.Events} is in log order");
        }
        else if (main.Count > 0)
        {
            var expected = m.RangeFrom;
            foreach (var e in main)
            {
                if (e.Position < expected) failures.Add($"{e.Where}: out of position order (expected {expected} or later)");
                else if (e.Position > expected)
                    failures.Add(e.Position == expected + 1 ? $"position {expected} is missing from {BundleFormat.Events} (before {e.Where})"
                        : $"positions {expected}–{e.Position - 1} are missing from {BundleFormat.Events} (before {e.Where})");
                expected = Math.Max(expected, e.Position + 1);
            }
            if (expected <= m.RangeTo) failures.Add($"positions {expected}–{m.RangeTo} are missing from the end of {BundleFormat.Events}");
        }

        foreach (var (e, other) in bundle.Streams.Overlaps) failures.Add($"{e.Where}: position {e.Position} also holds {other.Where}");
        var links = 0;
        var openStarts = 0;
        foreach (var (stream, list) in bundle.Streams.ByStream)
        {
            // A participant's or a device's stream is whole: a key event left out would change what its signatures mean.
            var isWhole = list.Any(e => e.File is BundleFormat.Participants or BundleFormat.Devices);
            var mustStartAtOne = m.Kind == "asset" || isWhole || (m.Kind == "search" && stream.StartsWith("registration-", StringComparison.Ordinal));
            var first = list[0];
            if (first.Version == 1)
            {
                if (first.PreviousHash is not null) failures.Add($"{first.Where}: the first event of its stream names a previous hash");
            }
            else if (mustStartAtOne) failures.Add($"{first.Where}: versions 1–{first.Version - 1} of {stream} are missing");
            else openStarts++;
            for (var i = 1; i < list.Count; i++)
            {
                var (prev, e) = (list[i - 1], list[i]);
                if (e.Version == prev.Version) { failures.Add($"{e.Where}: {stream} v{e.Version} appears twice (also {prev.Where})"); continue; }
                if (e.Version != prev.Version + 1)
                    failures.Add(e.Version == prev.Version + 2 ? $"{stream} v{prev.Version + 1} is missing between {prev.Where} and {e.Where}"
                        : $"{stream} v{prev.Version + 1}–v{e.Version - 1} are missing between {prev.Where} and {e.Where}");
                else
                {
                    links++;
                    if (e.PreviousHash != prev.Hash) failures.Add($"{e.Where}: previous hash {e.PreviousHash ?? "null"} is not the hash {prev.Hash} of v{prev.Version} (position {prev.Position})");
                }
                if (e.Position <= prev.Position) failures.Add($"{e.Where}: at position {e.Position}, not after v{prev.Version} at position {prev.Position}");
            }
        }
        return VerificationCheck.From("stream chains", failures,
            $"{links} links in {bundle.Streams.ByStream.Count} streams" + (openStarts > 0 ? $"; {openStarts} streams begin before the range (their first link is outside it)" : ""));
    }

    /// <summary>
    /// The streams an asset bundle may hold, each with the last version it may hold: the asset's, and for a part of a split
    /// receipt its parent's up to the split, and so on back (docs/evidence-bundle.md §2).
    /// </summary>
    internal static Dictionary<string, long> Lineage(ParsedBundle bundle)
    {
        var lineage = new Dictionary<string, long>(StringComparer.Ordinal) { [bundle.Manifest.AssetStream!] = long.MaxValue };
        for (var stream = bundle.Manifest.AssetStream!;
             bundle.Streams.ByStream.TryGetValue(stream, out var list) && list is [{ Version: 1, Type: "asset-split-off" } first, ..]
             && EventAdmission.Read(first.Type, first.Data).Event is AssetSplitOff off && !lineage.ContainsKey(off.Parent.StreamId);
             stream = off.Parent.StreamId)
            lineage[off.Parent.StreamId] = off.ParentVersion;
        return lineage;
    }
}
