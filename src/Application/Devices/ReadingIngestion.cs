using AssetLedger.Application.Assets;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Devices.Alarms;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;

namespace AssetLedger.Application.Devices;

/// <summary>A batch of signed readings for one device, as they came (over HTTP or from the broker).</summary>
public sealed record RecordDeviceReadings(string Device, IReadOnlyList<string> Messages, Actor Actor, DateTimeOffset At, CommandContext Context);

/// <param name="Accepted">Each accepted reading's index in the batch, its counter and its log position.</param>
/// <param name="Refused">Each refused reading's index and why; counted per device and reason.</param>
/// <param name="Alarms">Alarms the accepted readings (or the refusals) raised on watched assets.</param>
public sealed record ReadingsAnswer(DomainError? Error, IReadOnlyList<AcceptedReading> Accepted, IReadOnlyList<RefusedReading> Refused,
    IReadOnlyList<RaisedAlarm>? Alarms = null);

/// <param name="Position">The log position of the event that holds the reading with the rest of its batch (<see cref="Hash"/> its hash).</param>
/// <param name="Leaf">The reading's place in that event, its leaf in the event's Merkle tree of readings.</param>
public sealed record AcceptedReading(int Index, long Counter, long Position, string Hash, int Leaf);

public sealed record RefusedReading(int Index, string Code, string Detail);

/// <summary>
/// Reads each message, checks its signature under the device's current key, lets the Domain judge the rest, and appends
/// the accepted readings as one event (<see cref="DeviceReadingsRecorded"/>, their Merkle root sealed by the Ledger)
/// through the event store's group commit. Refusals change nothing but their
/// count. Another instance appending to the same device first means judging the batch again against the new state.
/// Not a command handler on the command service: a batch is many decisions, each reading accepted or refused on its own,
/// where a command is one decision that stands or falls whole.
/// <para>
/// A batch is judged first against the state this instance last knew of the device (<see cref="DeviceStates.Cached"/>),
/// without reading the stream: the append names that state's version, so if anything was appended since (a reading by
/// another instance, a key rotated, a suspension) the store refuses it and the batch is judged again from a fresh read.
/// Only a batch that would be refused in part, whose refusals are final without any append to check them, is judged
/// from a read first. So the common case, many devices each sending one reading, costs each device one append and no read,
/// and the appends of every device recorded at once share one transaction of the group commit.
/// </para>
/// <para>
/// The verification is most of a reading's cost (OpenSSL is 43 % of the API's CPU at 1,000 devices), so the device's
/// public key is not imported again for every message: <see cref="VerificationKeys"/> lends an imported copy, one thread at a time.
/// </para>
/// </summary>
public sealed class ReadingIngestion(IEventStore store, DeviceStates states, IReadingRefusals refusals, IotAlarms alarms, VerificationKeys keys)
{
    public async Task<ReadingsAnswer> Record(RecordDeviceReadings request, CancellationToken ct)
    {
        var trustCache = true;
        for (var attempt = 1; attempt <= CommandService.MaxAttempts; attempt++)
        {
            var cached = trustCache ? states.Cached(request.Device) : null;
            var device = cached ?? await states.Load(request.Device, ct);
            if (!device.Exists) return new(DeviceErrors.NotFound(request.Device), [], []);
            var (refused, readings) = Opened(request.Messages, device);
            var byKey = await WatchedByKey(device, readings.Select(r => r.Reading), ct);
            var decision = ReadingBatches.Decide(device, new RecordReadings(device.Id, [.. readings.Select(r => r.Reading)], byKey, request.Actor, request.At));
            // A refusal is final and no append checks it: judge it against the stream as it is, not as this instance last saw it.
            if (cached is not null && (refused.Count > 0 || decision.Refused.Count > 0)) { trustCache = false; attempt--; continue; }
            refused.AddRange(decision.Refused.Select(r => new RefusedReading(readings[r.Index].Index, r.Error.Code, r.Error.Message)));
            var refusedInBatch = decision.Refused.Select(r => r.Index).ToHashSet();
            var acceptedIndexes = readings.Where((_, i) => !refusedInBatch.Contains(i)).Select(r => r.Index).ToList();

            var accepted = new List<AcceptedReading>();
            var after = device;
            if (decision.Events.Count > 0)
            {
                var result = await store.Append(new AppendRequest(DeviceDecider.StreamOf(device.Id), device.Version, CommandService.ToAppend(decision.Events, request.Actor, request.Context)), ct);
                if (result.Status == AppendStatus.WrongExpectedVersion) { trustCache = false; continue; }
                if (!result.Succeeded) return new(new DomainError("device.concurrency_conflict", "The readings could not be appended; retry.", ErrorKind.Conflict), [], []);
                after = decision.Events.Aggregate(device, DeviceState.Evolve);
                states.Remember(after);
                var logged = result.Events[0];
                accepted.AddRange(decision.Accepted.Select((r, leaf) => new AcceptedReading(acceptedIndexes[leaf], r.Counter, logged.Position, logged.Hash, leaf)));
            }
            if (refused.Count > 0) await refusals.Count(device.Id, refused.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => g.Count()), ct);
            // The readings are logged whatever the rules find: an alarm is the asset's own later event, never a reason to lose a reading.
            var raised = await alarms.AfterReadings(device, after, decision.Accepted, [.. refused.Select(r => (r.Code, request.Messages[r.Index]))], ct);
            return new(null, accepted, [.. refused.OrderBy(r => r.Index)], raised);
        }
        return new(new DomainError("device.concurrency_conflict", "The device kept changing; retry the readings (a repeat is refused as replayed, never recorded twice).", ErrorKind.Conflict), [], []);
    }

    /// <summary>
    /// Each message read and its signature checked under the device's current key, in parallel when there are many (an
    /// ES256 verification is most of a reading's CPU): the refused ones with why, the rest as readings, both in request order.
    /// Only the current key is checked here; a reading under a retired or a stranger's key is refused by the Domain.
    /// A key in the pool is the same bytes as the device's current key, so a rotation is never verified under the old one.
    /// </summary>
    (List<RefusedReading> Refused, List<(int Index, Reading Reading)> Readings) Opened(IReadOnlyList<string> messages, DeviceState device)
    {
        var opened = new (Reading? Reading, DomainError? Error)[messages.Count];
        // The device's key comes imported from the pool (importing it costs nearly half a verification), one copy a thread.
        Parallel.For(0, messages.Count, new ParallelOptions { MaxDegreeOfParallelism = messages.Count < ParallelFrom ? 1 : Environment.ProcessorCount },
            () => keys.Rent(device.PublicKeySpki),
            (i, _, key) =>
            {
                var (reading, message, error) = SignedReadings.Open(messages[i]);
                if (error is null && reading!.KeyId == device.KeyId && (key is null || !SignedReadings.Verify(message!, key))) error = ReadingErrors.BadSignature;
                opened[i] = (reading, error);
                return key;
            },
            key => keys.Return(device.PublicKeySpki, key));
        var refused = new List<RefusedReading>();
        var readings = new List<(int Index, Reading Reading)>();
        for (var i = 0; i < opened.Length; i++)
            if (opened[i].Error is { } error) refused.Add(new(i, error.Code, error.Message));
            else readings.Add((i, opened[i].Reading!));
        return (refused, readings);
    }

    /// <summary>Below this many readings one thread verifies them: handing a few to others costs more than it saves.</summary>
    const int ParallelFrom = 8;

    /// <summary>Watched assets by natural key (<c>receipt:wh-1:R-1</c>) or receipt number, read only when a reading names one that way.</summary>
    async Task<IReadOnlyDictionary<string, AssetId>> WatchedByKey(DeviceState device, IEnumerable<Reading> readings, CancellationToken ct)
    {
        var map = new Dictionary<string, AssetId>(StringComparer.Ordinal);
        if (readings.All(r => r.Asset is null || AssetId.TryParse(r.Asset, out _))) return map;
        foreach (var id in device.Watched)
        {
            var asset = await AssetStreams.Load(store, new AssetId(id), ct);
            map[asset.Key] = asset.Id;
            if (asset.Details.ReceiptNumber is { } number) map.TryAdd(number, asset.Id);
        }
        return map;
    }
}
