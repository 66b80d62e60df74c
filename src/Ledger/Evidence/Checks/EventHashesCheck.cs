using System.Text.Json;
using AssetLedger.Ledger.Canonical;
using AssetLedger.Ledger.Evidence.Parsing;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>Every event line's envelope is the canonical envelope <see cref="EventHasher"/> hashes, and hashes to the recorded hash.</summary>
static class EventHashesCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        foreach (var file in bundle.EventFiles.Where(f => f.Present))
        {
            if (file.LastLineUnterminated) failures.Add($"{file.Name}: the last line does not end with a newline");
            foreach (var line in file.Lines)
            {
                if (line.Event is not { } ev) { failures.Add($"{file.Name} line {line.Line}: not an event line ({line.Error})"); continue; }
                string rebuilt;
                try
                {
                    rebuilt = EventHasher.CanonicalEnvelope(Jcs.Canonicalize(ev.Data), ev.EventId, Jcs.Canonicalize(ev.Metadata), ev.PreviousHash, ev.SchemaVersion, ev.StreamId, ev.Type, ev.Version);
                }
                catch (JsonException e) { failures.Add($"{ev.Where}: data or metadata is not JSON ({e.Message})"); continue; }
                if (rebuilt != ev.Envelope) { failures.Add($"{ev.Where}: the envelope is not the canonical envelope EventHasher hashes"); continue; }
                var hash = EventHasher.Hex(EventHasher.Hash(ev.Envelope));
                if (hash != ev.Hash) failures.Add($"{ev.Where}: the envelope hashes to {hash}, the recorded hash is {ev.Hash}");
            }
        }
        var (main, participants, devices) = (bundle.Main.Count, bundle.ParticipantEvents.Count, bundle.DeviceEvents.Count);
        // A search that found nothing is still an answer worth certifying; any other bundle proves some event.
        if (main == 0 && bundle.Manifest.Kind != "search") failures.Add($"{BundleFormat.Events} holds no event");
        return VerificationCheck.From("event hashes", failures,
            $"{main + participants + devices} events ({main} in {BundleFormat.Events}, {participants} in {BundleFormat.Participants}"
            + (devices > 0 ? $", {devices} in {BundleFormat.Devices}" : "") + ") hash to their recorded SHA-256");
    }
}
