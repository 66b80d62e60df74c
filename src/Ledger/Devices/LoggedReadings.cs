using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;

namespace AssetLedger.Ledger.Devices;

/// <summary>A logged reading (its event's index in the device's stream, its counter) and why it should not have been logged, or null.</summary>
public sealed record ReadingVerdict(int Index, long Counter, string? Problem);

/// <summary>
/// Checks a device's logged history as a court's verifier would, from its first event: each key the device was
/// registered or rotated to is the key its id names, and each logged reading is a COSE_Sign1 message signed by the key
/// the device held when the reading was logged (neither a key rotated away before, nor one nobody had confirmed yet),
/// that the Domain's reading rules accept against the history before it, and that says what the logged event says.
/// A batch event (<see cref="DeviceReadingsRecorded"/>) is re-decided whole, so its Merkle root must be the one its
/// readings make; an older single-reading event (<see cref="DeviceReadingRecorded"/>) is re-decided alone.
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
                case DeviceReadingRecorded reading: readings.Add(new(i, reading.Counter, Problem(state, reading))); break;
                case DeviceReadingsRecorded batch: readings.AddRange(Problems(state, batch).Select(p => new ReadingVerdict(i, p.Counter, p.Problem))); break;
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
        var one = new RecordedReading(logged.Counter, logged.MeasuredAt, logged.Asset, logged.Measurements, logged.KeyId, logged.Message);
        var (reading, problem) = Signed(before, one);
        if (problem is not null) return problem;
        var decision = DeviceDecider.Readings(before, new RecordReadings(before.Id, [reading!], ByKey(reading!, logged.Asset), NoRoles with { Id = logged.By }, logged.At));
        if (decision.Refused is [var (_, refusal), ..]) return $"the reading rules refuse it: {refusal.Code}: {refusal.Message}";
        return decision.Accepted is [var decided] && decided == one && logged.Device == before.Id ? null
            : "the logged reading (device, counter, time, asset, measurements or key) is not what its signed message says";
    }

    /// <summary>
    /// Each reading of a batch event and why it should not have been logged after <paramref name="before"/>, or null: its
    /// signature under the key of the time, the rules over the whole batch in order, what the event says of it, and the root.
    /// </summary>
    public static IReadOnlyList<(long Counter, string? Problem)> Problems(DeviceState before, DeviceReadingsRecorded logged)
    {
        if (logged.Readings.Count == 0) return [(0, "a batch event that holds no reading")];
        var problems = logged.Readings.Select(r => Signed(before, r)).ToList();
        if (problems.Any(p => p.Problem is not null))
            return [.. logged.Readings.Select((r, i) => (r.Counter, problems[i].Problem ?? "its batch holds a reading whose signature does not hold"))];
        var byKey = new Dictionary<string, AssetId>(StringComparer.Ordinal);
        for (var i = 0; i < logged.Readings.Count; i++)
            foreach (var (k, v) in ByKey(problems[i].Reading!, logged.Readings[i].Asset)) byKey[k] = v;
        var decision = ReadingBatches.Decide(before, new RecordReadings(before.Id, [.. problems.Select(p => p.Reading!)], byKey, NoRoles with { Id = logged.By }, logged.At));
        var refusals = decision.Refused.ToDictionary(r => r.Index, r => $"the reading rules refuse it: {r.Error.Code}: {r.Error.Message}");
        var rootHolds = logged.Root == ReadingBatches.Root(logged.Readings.Select(r => r.Message));
        var decided = decision.Accepted;
        return [.. logged.Readings.Select((r, i) => (r.Counter,
            refusals.TryGetValue(i, out var refused) ? refused
            : refusals.Count > 0 ? "its batch holds a reading the rules refuse"
            : i < decided.Count && decided[i] == r && logged.Device == before.Id
                ? rootHolds ? null : $"the batch's Merkle root {logged.Root} is not the root of its readings' messages"
                : "the logged reading (device, counter, time, asset, measurements or key) is not what its signed message says"))];
    }

    /// <summary>The reading its message says, if the key the device held then signed it; else why not.</summary>
    static (Reading? Reading, string? Problem) Signed(DeviceState before, RecordedReading logged)
    {
        var (reading, message, error) = SignedReadings.Open(logged.Message);
        if (error is not null) return (null, $"{error.Code}: {error.Message}");
        var keyId = reading!.KeyId;
        if (before.RetiredKeys.Contains(keyId)) return (null, $"signed by key {keyId}, revoked when the device's key was rotated before the reading was logged");
        if (keyId != before.KeyId) return (null, $"signed by key {keyId}, which is not the device's key {before.KeyId} when the reading was logged");
        if (!SignedReadings.Verify(message!, before.PublicKeySpki)) return (null, $"the COSE_Sign1 signature does not hold under the device's key {keyId}");
        return (reading, null);
    }

    /// <summary>The registry resolved a natural key to the watched asset it names; the verifier takes that asset and asks whether it was watched.</summary>
    static Dictionary<string, AssetId> ByKey(Reading reading, AssetId? logged) =>
        reading.Asset is { } named && logged is { } asset && !AssetId.TryParse(named, out _)
            ? new(StringComparer.Ordinal) { [named] = asset } : new(StringComparer.Ordinal);
}
