using System.Globalization;
using System.Text.Json;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Common;
using AssetLedger.Ledger.Evidence.Parsing;
using AssetLedger.Ledger.Rules;
using AssetLedger.Ledger.Signatures;

namespace AssetLedger.Ledger.Evidence.Checks;

/// <summary>
/// A signature binds what it signs: each signed request is mapped to the event it produced (method and path to event
/// type, body fields to event data, <see cref="SignedRequestMap"/>) and must agree with it; a format 2 payload must also
/// name the event's asset, the version before it and a time within <see cref="SignatureLimits.MaxSkew"/> of the event's
/// own; one payload signs one event only. Format 1 payloads (no asset, version or time) are taken only on events
/// recorded before the signer context was (metadata without <c>participantVersion</c>).
/// </summary>
static class SignatureBindingCheck
{
    public static VerificationCheck Run(ParsedBundle bundle, VerifierOptions options)
    {
        var failures = new List<string>();
        var seen = new Dictionary<string, BundleEvent>(StringComparer.Ordinal);
        var states = new Dictionary<string, AssetState>(StringComparer.Ordinal);
        int bound = 0, format1 = 0;
        foreach (var e in bundle.Main.Concat(bundle.ParticipantEvents).Where(e => e.IsAsset).GroupBy(e => e.Position).Select(g => g.First()).OrderBy(e => e.Position))
        {
            var before = states.GetValueOrDefault(e.StreamId) is { } s && s.Version == e.Version - 1 ? s : e.Version == 1 ? AssetState.Initial : null;
            var (recorded, _) = EventAdmission.Read(e.Type, e.Data);
            if (before is not null && recorded is not null) states[e.StreamId] = AssetState.Evolve(before, recorded);
            var payloadText = PayloadOf(e.Metadata);
            if (payloadText is null) continue;
            if (seen.TryGetValue(payloadText, out var first))
            {
                if (first.Type == "asset-split" && SplitOff(e, payloadText, first)) { bound++; continue; }
                failures.Add($"{e.Where}: its signed payload is the one already used for position {first.Position} ({first.StreamId} v{first.Version}): a signature authorises one command");
                continue;
            }
            seen[payloadText] = e;
            SignedPayload payload;
            try { payload = SignedPayload.Parse(payloadText); }
            catch (JsonException ex) { failures.Add($"{e.Where}: the signed payload is not JSON ({ex.Message})"); continue; }
            var problem = Problem(e, payload, before);
            if (problem is not null) { failures.Add($"{e.Where}: {problem}"); continue; }
            bound++;
            if (payload.Format == 1) format1++;
        }
        return VerificationCheck.From("signature binding", failures,
            $"{bound} signed requests each map to the event they produced (type and data), each used once"
            + (format1 > 0 ? $"; {format1} of them in the old format 1 (no asset, version or time), on events recorded before format 2" : ""));
    }

    /// <summary>A part's first event that carries the signature of its parent's split, the event <paramref name="split"/>.</summary>
    static bool SplitOff(BundleEvent e, string payloadText, BundleEvent split)
    {
        try
        {
            using var data = JsonDocument.Parse(e.Data);
            return SignedRequestMap.SplitOffBy(SignedPayload.Parse(payloadText).Path ?? "", e.Type, e.Version, data.RootElement)
                && data.RootElement.TryGetProperty("parentVersion", out var v) && v.TryGetInt64(out var version) && version == split.Version
                && split.StreamId == $"asset-{Guid.Parse(data.RootElement.GetProperty("parent").GetString()!):N}";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentNullException) { return false; }
    }

    static string? Problem(BundleEvent e, SignedPayload p, AssetState? before)
    {
        using var data = JsonDocument.Parse(e.Data);
        var asset = e.StreamId["asset-".Length..];
        if (p.Format == SignedPayload.Current)
        {
            if (p.Asset != asset) return $"the signed payload names asset {p.Asset ?? "none"}, the event is of asset {asset}";
            if (p.ExpectedVersion != e.Version - 1) return $"the signed payload expects version {p.ExpectedVersion?.ToString(CultureInfo.InvariantCulture) ?? "none"}, the event follows version {e.Version - 1}";
            if (SignedPayload.ParseTime(p.SignedAt) is not { } signedAt) return $"the signed time {p.SignedAt ?? "none"} is not an RFC 3339 time";
            if (data.RootElement.TryGetProperty("at", out var at) && at.TryGetDateTimeOffset(out var eventAt) && (eventAt - signedAt).Duration() > SignatureLimits.MaxSkew)
                return $"signed at {p.SignedAt}, but the event's own time is {eventAt:O}: more than {SignatureLimits.MaxSkew.TotalMinutes:0} minutes apart";
        }
        else if (p.Format == 1)
        {
            if (SignerContext.Of(e.Metadata).ParticipantVersion is not null)
                return "signed in the old format 1, which binds no asset, version or time; an event that records its signer context needs format 2";
        }
        else return $"the signed payload's format {p.Format} is not 1 or 2";
        if (p.Method != "POST") return "the signed request is not a POST";
        return SignedRequestMap.Mismatch(p.Path ?? "", p.Body, asset, e.Type, data.RootElement, before);
    }

    static string? PayloadOf(string metadata)
    {
        try
        {
            using var meta = JsonDocument.Parse(metadata);
            if (meta.RootElement.ValueKind != JsonValueKind.Object || !meta.RootElement.TryGetProperty("signature", out var sig) || sig.ValueKind != JsonValueKind.String) return null;
            using var s = JsonDocument.Parse(sig.GetString()!);
            return s.RootElement.ValueKind == JsonValueKind.Object && s.RootElement.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        }
        catch (JsonException) { return null; }
    }
}
