using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;

namespace AssetLedger.Ledger.Devices;

/// <summary>A logged reading (its index in the device's stream) and why it should not have been logged, or null.</summary>
public sealed record ReadingVerdict(int Index, DeviceReadingRecorded Reading, string? Problem);

/// <summary>
/// Checks a device's logged history as a court's verifier would, from its first event: each key the device was
/// registered or rotated to is the key its id names, and each logged reading is a COSE_Sign1 message signed by the key
/// the device held when the reading was logged (neither a key rotated away before, nor one nobody had confirmed yet),
/// that the Domain's reading rules accept against the history before it, and that says what the logged event says.
/// </summary>
public static class LoggedReadings
{
    static readonly Actor NoRoles = new(ParticipantId.System, new HashSet<Role>());

    /// <param name="history">The device stream's events from version 1, in version order.</param>
    /// <returns>Problems with the key events (index and why), and a verdict for every reading.</returns>
    public static (IReadOnlyList<(int Index, string Problem)> Keys, IReadOnlyList<ReadingVerdict> Readings) Check(IReadOnlyList<IDeviceEvent> history)
    {
        var keys = new List<(int, string)>();
        var readings = new List<ReadingVerdict>();
        var state = DeviceState.Initial;
        for (var i = 0; i < history.Count; i++)
        {
            var e = history[i];
            switch (e)
            {
                case DeviceRegistered r when KeyProblem(r.PublicKeySpki, r.KeyId) is { } p: keys.Add((i, p)); break;
                case DeviceKeyRotated k when KeyProblem(k.PublicKeySpki, k.KeyId) is { } p: keys.Add((i, p)); break;
                case DeviceReadingRecorded reading: readings.Add(new(i, reading, Problem(state, reading))); break;
            }
            state = DeviceState.Evolve(state, e);
        }
        return (keys, readings);
    }

    /// <summary>A swapped key keeps the old key's id, or the reverse: either way the id is no longer the key's SHA-256.</summary>
    static string? KeyProblem(string spki, string keyId) =>
        SignedReadings.KeyIdOf(spki) is not { } actual ? $"the key {keyId} is not an ECDSA P-256 public key"
        : actual != keyId ? $"the key's SHA-256 is {actual}, not its id {keyId}" : null;

    /// <summary>Why <paramref name="logged"/> should not have been logged after <paramref name="before"/>, or null.</summary>
    public static string? Problem(DeviceState before, DeviceReadingRecorded logged)
    {
        var (reading, message, error) = SignedReadings.Open(logged.Message);
        if (error is not null) return $"{error.Code}: {error.Message}";
        var keyId = reading!.KeyId;
        if (before.RetiredKeys.Contains(keyId)) return $"signed by key {keyId}, revoked when the device's key was rotated before the reading was logged";
        if (keyId != before.KeyId) return $"signed by key {keyId}, which is not the device's key {before.KeyId} when the reading was logged";
        if (!SignedReadings.Verify(message!, before.PublicKeySpki)) return $"the COSE_Sign1 signature does not hold under the device's key {keyId}";
        // The registry resolved a natural key to the watched asset it names; the verifier takes that asset and asks whether it was watched.
        var byKey = reading.Asset is { } named && logged.Asset is { } asset && !AssetId.TryParse(named, out _)
            ? new Dictionary<string, AssetId>(StringComparer.Ordinal) { [named] = asset } : new Dictionary<string, AssetId>();
        var decision = DeviceDecider.Readings(before, new RecordReadings(before.Id, [reading], byKey, NoRoles with { Id = logged.By }, logged.At));
        if (decision.Refused is [var (_, refusal), ..]) return $"the reading rules refuse it: {refusal.Code}: {refusal.Message}";
        return decision.Events is [DeviceReadingRecorded decided] && decided == logged ? null
            : "the logged reading (device, counter, time, asset, measurements or key) is not what its signed message says";
    }
}
