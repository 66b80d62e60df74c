using System.Text.Json;
using AssetLedger.Domain.Assets;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Serialization;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// Each asset whose history starts in the bundle, replayed through the Domain from its events, reaches exactly the state
/// <c>state.json</c> claims for it, and <c>state.json</c> claims no other.
/// </summary>
static class ReplayCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        const string name = "replay";
        if (bundle.States.Error is { } error) return VerificationCheck.From(name, [$"{BundleFormat.State}: not a JSON object of states ({error})"], "");
        var claimed = bundle.States.Value!;
        var failures = new List<string>();
        var replayed = 0;
        var assetStream = bundle.Manifest.AssetStream;
        var expectedStreams = bundle.Main.Where(e => e.IsAsset && e.Version == 1).Select(e => e.StreamId).ToHashSet(StringComparer.Ordinal);
        if (assetStream is not null && !claimed.ContainsKey(assetStream)) failures.Add($"{BundleFormat.State}: no state for {assetStream}");
        foreach (var s in expectedStreams.Where(s => !claimed.ContainsKey(s) && s != assetStream).Order(StringComparer.Ordinal))
            failures.Add($"{BundleFormat.State}: no state for {s}, whose history starts in the bundle");
        foreach (var (stream, json) in claimed.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!expectedStreams.Contains(stream) || !bundle.Streams.ByStream.TryGetValue(stream, out var events))
            {
                failures.Add($"{BundleFormat.State}: a state for {stream}, whose history is not in {BundleFormat.Events}");
                continue;
            }
            AssetState? expected;
            try { expected = json.Deserialize<AssetState>(EventSerializer.Options); }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException) { failures.Add($"{BundleFormat.State}: the state of {stream} is not an asset state ({e.Message})"); continue; }
            var (state, broken) = Replay(events);
            if (broken is not null) { failures.Add(broken); continue; }
            if (!state.Equals(expected)) failures.Add($"{BundleFormat.State}: replaying {events.Count} events of {stream} gives {Describe(state, expected)}");
            else replayed++;
        }
        return VerificationCheck.From(name, failures, $"{replayed} asset{(replayed == 1 ? "" : "s")} replayed through the Domain reach the state in {BundleFormat.State}");
    }

    /// <summary>The state the events lead to, or the first event the Domain cannot apply.</summary>
    static (AssetState State, string? Broken) Replay(List<BundleEvent> events)
    {
        var state = AssetState.Initial;
        foreach (var e in events)
        {
            try { state = AssetState.Evolve(state, (IAssetEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data)); }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidCastException or NotSupportedException)
            {
                return (state, $"{e.Where}: the Domain cannot apply it ({ex.Message})");
            }
        }
        return (state, null);
    }

    static string Describe(AssetState actual, AssetState? expected)
    {
        if (expected is null) return "a state, but the file has null";
        var a = JsonSerializer.SerializeToElement(actual, EventSerializer.Options);
        var b = JsonSerializer.SerializeToElement(expected, EventSerializer.Options);
        var diffs = a.EnumerateObject().Where(p => !b.TryGetProperty(p.Name, out var q) || Jcs.Canonicalize(p.Value) != Jcs.Canonicalize(q))
            .Select(p => $"{p.Name} {Jcs.Canonicalize(p.Value)} (file: {(b.TryGetProperty(p.Name, out var q) ? Jcs.Canonicalize(q) : "absent")})").ToList();
        return diffs.Count == 0 ? "a different state" : string.Join("; ", diffs);
    }
}
