using AssetLedger.Ledger.Evidence.Parsing;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// The events are in order (an asset bundle: its stream by version; a ledger bundle: every position of the range; a
/// search certificate: log order, each registration's stream whole),
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
            foreach (var e in main.Where(e => e.StreamId != m.AssetStream)) failures.Add($"{e.Where}: not an event of {m.AssetStream}");
            for (var i = 1; i < main.Count; i++)
                if (main[i].Version <= main[i - 1].Version) failures.Add($"{main[i].Where}: comes after version {main[i - 1].Version}; {BundleFormat.Events} is in version order");
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
            var isParticipant = list.Any(e => e.File == BundleFormat.Participants);
            var mustStartAtOne = m.Kind == "asset" || isParticipant || (m.Kind == "search" && stream.StartsWith("registration-", StringComparison.Ordinal));
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
}
