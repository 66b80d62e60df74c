using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AssetLedger.Ledger.Canonical;

namespace AssetLedger.Ledger.Signatures;

/// <summary>
/// The text a participant signs for an asset command (docs/evidence-bundle.md §4). Format 2 binds the command to one
/// asset (the new asset's id for a registration), the version the command expects and a time:
/// <c>{"asset":"&lt;32 hex&gt;","body":…,"expectedVersion":n,"idempotencyKey":…,"method":"POST","path":"…","signedAt":"…","v":2}</c>,
/// RFC 8785 canonical. Format 1 (no <c>v</c>) bound only method, path, body and idempotency key: the server no longer
/// takes it, and a verifier accepts it only on events recorded before the signer context was (an old event).
/// </summary>
public sealed record SignedPayload(int Format, string? Method, string? Path, JsonElement? Body, string? IdempotencyKey, string? Asset, long? ExpectedVersion, string? SignedAt)
{
    public const int Current = 2;

    /// <summary>The canonical text to sign, or null when the body is not JSON.</summary>
    public static string? Build(string path, string body, string? idempotencyKey, string asset, long expectedVersion, string signedAt)
    {
        var envelope = Envelope(path, body, idempotencyKey);
        if (envelope is null) return null;
        envelope["asset"] = asset;
        envelope["expectedVersion"] = expectedVersion;
        envelope["signedAt"] = signedAt;
        envelope["v"] = Current;
        return Jcs.Canonicalize(envelope.ToJsonString());
    }

    /// <summary>The format 1 text (method, path, body, idempotency key): only for reading old events.</summary>
    public static string? BuildFormat1(string path, string body, string? idempotencyKey) =>
        Envelope(path, body, idempotencyKey) is { } e ? Jcs.Canonicalize(e.ToJsonString()) : null;

    static JsonObject? Envelope(string path, string body, string? idempotencyKey)
    {
        JsonNode? parsed = null;
        if (body.Length > 0)
        {
            try { parsed = JsonNode.Parse(body); }
            catch (JsonException) { return null; }
        }
        return new JsonObject
        {
            ["body"] = parsed,
            ["idempotencyKey"] = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey,
            ["method"] = "POST",
            ["path"] = path,
        };
    }

    /// <summary>A signed payload read back from an event's metadata; throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static SignedPayload Parse(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var p = doc.RootElement;
        if (p.ValueKind != JsonValueKind.Object) throw new JsonException("the signed payload is not a JSON object");
        int format = p.TryGetProperty("v", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var f) ? f : 1;
        long? version = p.TryGetProperty("expectedVersion", out var ev) && ev.ValueKind == JsonValueKind.Number && ev.TryGetInt64(out var n) ? n : null;
        JsonElement? body = p.TryGetProperty("body", out var b) ? b.Clone() : null;
        return new SignedPayload(format, Str(p, "method"), Str(p, "path"), body, Str(p, "idempotencyKey"), Str(p, "asset"), version, Str(p, "signedAt"));
    }

    /// <summary>A signed time: RFC 3339 with an offset (e.g. <c>2026-12-05T09:00:00Z</c>), or null.</summary>
    public static DateTimeOffset? ParseTime(string? text) =>
        text is not null && text.Length is >= 20 and <= 40 && text[10] == 'T' && (text.EndsWith('Z') || text[^6] is '+' or '-')
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    static string? Str(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
