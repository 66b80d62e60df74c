using System.Text;
using System.Text.Json;
using AssetLedger.Domain.Participants;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Serialization;
using AssetLedger.Ledger.Signatures;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// Every asset event caused by a participant with a registered signing key carries that participant's ES256 signature
/// of the command that produced it, under the key in force at its position (each participant stream folded through
/// the Domain); events by participants without a key, or whose stream is not in the bundle, are counted.
/// </summary>
static class SignedCommandsCheck
{
    sealed record KeyInForce(string? KeyId, string? Spki, long RegisteredAt);

    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var history = KeyHistory(bundle.Streams.ByStream, failures);
        int signed = 0, keyless = 0, unknown = 0;
        foreach (var e in bundle.Main.Concat(bundle.ParticipantEvents).Where(e => e.IsAsset).GroupBy(e => e.Position).Select(g => g.First()).OrderBy(e => e.Position))
        {
            string? participant, idempotencyKey, signature;
            try
            {
                using var meta = JsonDocument.Parse(e.Metadata);
                participant = Str(meta.RootElement, "participant");
                idempotencyKey = Str(meta.RootElement, "idempotencyKey");
                signature = Str(meta.RootElement, "signature");
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException) { failures.Add($"{e.Where}: metadata is not a JSON object ({ex.Message})"); continue; }
            KeyInForce? key = null;
            var known = participant is not null && history.ContainsKey(participant);
            if (known) key = history[participant!].LastOrDefault(s => s.Position < e.Position).Key ?? new KeyInForce(null, null, 0);
            if (signature is null)
            {
                if (key?.KeyId is { } k) failures.Add($"{e.Where}: unsigned, but {participant} had registered signing key {k} at position {key.RegisteredAt}, so its commands must be signed");
                else if (known) keyless++;
                else unknown++;
                continue;
            }
            var problem = SignatureProblem(e, participant, idempotencyKey, signature, known, key);
            if (problem is null) signed++;
            else failures.Add($"{e.Where}: {problem}");
        }
        return VerificationCheck.From("signed commands", failures,
            $"{signed} signed commands verify with the signer's registered ES256 key; {keyless} unsigned events by participants without a key" + (unknown > 0 ? $"; {unknown} by actors whose stream is not in the bundle" : ""));
    }

    /// <summary>Each participant stream that starts in the bundle, folded, with the key in force after each event.</summary>
    static Dictionary<string, List<(long Position, KeyInForce Key)>> KeyHistory(IReadOnlyDictionary<string, List<BundleEvent>> streams, List<string> failures)
    {
        var history = new Dictionary<string, List<(long Position, KeyInForce Key)>>(StringComparer.Ordinal);
        foreach (var (stream, list) in streams.Where(s => s.Key.StartsWith("participant-", StringComparison.Ordinal) && s.Value[0].Version == 1))
        {
            var state = ParticipantState.Initial;
            var steps = new List<(long, KeyInForce)>();
            var registeredAt = 0L;
            foreach (var e in list)
            {
                try { state = ParticipantState.Evolve(state, (IParticipantEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data)); }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidCastException or NotSupportedException)
                {
                    failures.Add($"{e.Where}: not a participant event ({ex.Message})");
                    break;
                }
                if (e.Type == "participant-signing-key-registered") registeredAt = e.Position;
                steps.Add((e.Position, new KeyInForce(state.SigningKeyId, state.SigningKeySpki, registeredAt)));
                if (e.Type == "participant-signing-key-registered" && state.SigningKeySpki is { } spki)
                {
                    byte[]? der = null;
                    try { der = Convert.FromBase64String(spki); } catch (FormatException) { }
                    if (der is null || CommandSignature.KeyIdOf(der) != state.SigningKeyId) failures.Add($"{e.Where}: key id {state.SigningKeyId} is not the id of the registered key");
                }
            }
            history[stream["participant-".Length..]] = steps;
        }
        return history;
    }

    static string? SignatureProblem(BundleEvent e, string? participant, string? idempotencyKey, string signatureJson, bool known, KeyInForce? key)
    {
        string alg, keyId, payload;
        byte[] signature;
        try
        {
            using var doc = JsonDocument.Parse(signatureJson);
            var s = doc.RootElement;
            (alg, keyId, payload) = (s.GetProperty("alg").GetString()!, s.GetProperty("keyId").GetString()!, s.GetProperty("payload").GetString()!);
            signature = Convert.FromBase64String(s.GetProperty("signature").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            return $"metadata.signature is not {{alg, keyId, payload, signature}} ({ex.Message})";
        }
        if (alg != CommandSignature.Algorithm) return $"signature algorithm {alg} is not {CommandSignature.Algorithm}";
        if (!known) return $"signed with key {keyId}, but the stream of {participant ?? "(no participant)"} is not in the bundle to look the key up";
        if (key!.KeyId is null) return $"signed with key {keyId}, but {participant} had no signing key registered before position {e.Position}";
        if (key.KeyId != keyId) return $"signed with key {keyId}, but {participant}'s key at position {e.Position} was {key.KeyId} (registered at position {key.RegisteredAt})";
        if (!CommandSignature.Verify(key.Spki!, Encoding.UTF8.GetBytes(payload), signature))
            return $"the ES256 signature does not verify with {participant}'s key {keyId} (registered at position {key.RegisteredAt})";
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var p = doc.RootElement;
            if (Str(p, "method") != "POST") return "the signed payload is not a POST";
            if (Str(p, "idempotencyKey") != idempotencyKey) return $"the signed payload's idempotency key is not the event's ({idempotencyKey ?? "none"})";
            var path = Str(p, "path") ?? "";
            var asset = Guid.Parse(e.StreamId["asset-".Length..]);
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var forThisAsset = segments is ["api", "v1", "assets"] ? e.Version == 1 && e.Type == "asset-registered"
                : segments.Length >= 4 && segments[..3] is ["api", "v1", "assets"] && Guid.TryParse(segments[3], out var g) && g == asset;
            using var data = JsonDocument.Parse(e.Data);
            if (!forThisAsset && !SignedRequestMap.SplitOffBy(path, e.Type, e.Version, data.RootElement))
                return $"the signed command ({path}) is not one that produced this event of {e.StreamId}";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException) { return $"the signed payload is not JSON ({ex.Message})"; }
        return null;
    }

    static string? Str(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
