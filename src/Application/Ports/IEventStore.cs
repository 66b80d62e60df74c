namespace AssetLedger.Application.Ports;

/// <summary>
/// The event store port, shaped like Eventuous's: append with an expected version, read a stream,
/// read all forward from a position, subscribe from a checkpoint. Positions are gap-free and final:
/// a reader that has seen position p has seen every event below p.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Appends, or refuses, the events. <paramref name="ct"/> counts only until the append is handed to the store: from
    /// then on it is committed or refused whatever the caller does, and the returned task says which.
    /// </summary>
    Task<AppendResult> Append(AppendRequest request, CancellationToken ct);

    /// <summary>
    /// Appends to several streams all or nothing, in one transaction (a split: the parent's event and every part's first
    /// event, with the parts' keys). The results are in the requests' order; when any request is refused nothing is
    /// written and every result carries that refusal (the status and taken key of the first request refused).
    /// </summary>
    Task<IReadOnlyList<AppendResult>> Append(IReadOnlyList<AppendRequest> requests, CancellationToken ct);

    /// <summary>Events of one stream with version ≥ <paramref name="fromVersion"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadStream(string streamId, long fromVersion, int maxCount, CancellationToken ct);

    /// <summary>
    /// The first <paramref name="maxCount"/> events of each of several streams, oldest first, in one read where the store
    /// can (one round trip instead of one per stream); a stream with no events is absent from the answer.
    /// </summary>
    async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreams(IReadOnlyList<string> streamIds, int maxCount, CancellationToken ct)
    {
        var read = new Dictionary<string, IReadOnlyList<StoredEvent>>(StringComparer.Ordinal);
        foreach (var id in streamIds.Distinct())
            if (await ReadStream(id, 1, maxCount, ct) is { Count: > 0 } events) read[id] = events;
        return read;
    }

    /// <summary>
    /// The events at the given log positions, in log order, in one read where the store can; a position with no event
    /// (beyond the head) is absent from the answer.
    /// </summary>
    async Task<IReadOnlyList<StoredEvent>> ReadPositions(IReadOnlyList<long> positions, CancellationToken ct)
    {
        var read = new List<StoredEvent>();
        foreach (var p in positions.Where(p => p > 0).Distinct().Order())
            read.AddRange(await ReadAll(p - 1, 1, ct) is [{ } e] && e.Position == p ? [e] : []);
        return read;
    }

    /// <summary>
    /// The log's head, and as of that same head the events after <paramref name="afterPosition"/> of the streams whose ids
    /// start with one of <paramref name="streamPrefixes"/>, in log order; no events (null) when <paramref name="afterPosition"/>
    /// is negative or more than <paramref name="maxGap"/> behind the head.
    /// </summary>
    async Task<(long Head, IReadOnlyList<StoredEvent>? Events)> ReadSince(long afterPosition, IReadOnlyList<string> streamPrefixes, long maxGap, CancellationToken ct)
    {
        var head = await HeadPosition(ct);
        if (afterPosition < 0 || head - afterPosition > maxGap) return (head, null);
        var found = new List<StoredEvent>();
        for (var position = afterPosition; position < head;)
        {
            var page = await ReadAll(position, 500, ct);
            if (page.Count == 0) break;
            found.AddRange(page.Where(e => e.Position <= head && streamPrefixes.Any(p => e.StreamId.StartsWith(p, StringComparison.Ordinal))));
            position = page[^1].Position;
        }
        return (head, found);
    }

    /// <summary>Events with position &gt; <paramref name="afterPosition"/>, in log order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAll(long afterPosition, int maxCount, CancellationToken ct);

    /// <summary>The highest position committed so far (0 when empty).</summary>
    Task<long> HeadPosition(CancellationToken ct);

    /// <summary>Follows the log from a checkpoint (exclusive) until cancelled, never skipping a late commit.</summary>
    IAsyncEnumerable<StoredEvent> Subscribe(long afterPosition, CancellationToken ct, int pageSize = 500);
}

public static class ExpectedVersion
{
    /// <summary>The stream must not exist yet.</summary>
    public const long NoStream = 0;
    /// <summary>Append whatever the stream's version.</summary>
    public const long Any = -1;
}

/// <param name="ExpectedVersion">The stream's current version (number of events), <see cref="ExpectedVersion.NoStream"/> or <see cref="ExpectedVersion.Any"/>.</param>
/// <param name="UniqueKeys">Keys this append claims for ever (e.g. an asset's natural key); the append fails if any is taken.</param>
public sealed record AppendRequest(string StreamId, long ExpectedVersion, IReadOnlyList<EventToAppend> Events, IReadOnlyList<string>? UniqueKeys = null)
{
    /// <summary>
    /// The request's Idempotency-Key, reserved in the same transaction as the events: when another request holds it, nothing
    /// of this append is written and it answers <see cref="AppendStatus.KeyTaken"/> with <see cref="IdempotencyClaim.TakenKey"/>.
    /// </summary>
    public IdempotencyClaim? Claim { get; init; }
}

/// <param name="Data">The event's JSON.</param>
/// <param name="Metadata">JSON object: actor, correlation, causation, idempotency key, signature.</param>
public sealed record EventToAppend(Guid EventId, string Type, int SchemaVersion, string Data, string Metadata);

public enum AppendStatus { Appended, AlreadyAppended, WrongExpectedVersion, KeyTaken }

public sealed record AppendResult(AppendStatus Status, long StreamVersion, IReadOnlyList<AppendedEvent> Events, string? TakenKey = null)
{
    public bool Succeeded => Status is AppendStatus.Appended or AppendStatus.AlreadyAppended;
}

public sealed record AppendedEvent(Guid EventId, long Version, long Position, string Hash);

public sealed record StoredEvent(
    long Position, string StreamId, long Version, Guid EventId, string Type, int SchemaVersion,
    string Data, string Metadata, DateTimeOffset RecordedAt, string Hash, string? PreviousHash);
