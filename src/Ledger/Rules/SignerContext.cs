using System.Text.Json;

namespace AssetLedger.Ledger.Rules;

/// <summary>
/// What an event's metadata says about who decided it: the acting participant, the version and hash of that
/// participant's stream at decision time (a commitment, inside the event's hash, to the key and roles it then held),
/// and whether the command was signed.
/// </summary>
public sealed record SignerContext(string? Participant, long? ParticipantVersion, string? ParticipantHash, bool Signed, bool Readable)
{
    public static SignerContext Of(string metadata)
    {
        try
        {
            using var doc = JsonDocument.Parse(metadata);
            var m = doc.RootElement;
            if (m.ValueKind != JsonValueKind.Object) return new(null, null, null, false, false);
            long? version = m.TryGetProperty("participantVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
            return new(Str(m, "participant"), version, Str(m, "participantHash"), Str(m, "signature") is not null, true);
        }
        catch (JsonException) { return new(null, null, null, false, false); }
    }

    /// <summary>
    /// Why the event's signer context does not hold against the participant's stream as <paramref name="history"/> has it,
    /// or null: the committed version must be in the stream, with that hash, logged before the event; and a participant
    /// that held a signing key then (at the committed version, or at any version logged before the event) signs its commands.
    /// </summary>
    public static string? Problem(SignerContext context, ParticipantHistory history, long position)
    {
        var key = history.AtPosition(position).SigningKeyId;
        if (context.ParticipantVersion is { } version)
        {
            if (history.AtVersion(version) is not { } at)
                return $"its metadata commits to {history.Participant}'s stream at version {version}, but that stream holds only versions 1–{history.LastVersion}: the participant's context at decision time is missing";
            if (at.Hash != context.ParticipantHash)
                return $"its metadata commits to {history.Participant} v{version} with hash {context.ParticipantHash ?? "none"}, but that version's hash is {at.Hash}";
            if (at.Position >= position) return $"its metadata commits to {history.Participant} v{version}, logged at position {at.Position}, after the event";
            key ??= at.State.SigningKeyId;
        }
        return !context.Signed && key is not null
            ? $"unsigned, but {history.Participant} held signing key {key} when it was decided, so its commands must be signed"
            : null;
    }

    static string? Str(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
