namespace AssetLedger.Application.Ports;

/// <summary>
/// Idempotency keys: the first answer to a participant's key is kept and replayed to its retries. A key is reserved before
/// its command runs, so retries racing each other (even on different API instances) never both execute it. An answer is
/// kept for 24 hours; a reservation whose request never finished (a crashed instance) may be taken over after 60 seconds.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Reserves the key for a request and returns null, or returns what is stored under it. An expired entry, or an abandoned
    /// reservation whose request committed nothing, is taken over. When an abandoned request did commit events, the answer
    /// <paramref name="answerLost"/> makes of them is stored and returned instead, so the command never runs twice.
    /// </summary>
    Task<IdempotentEntry?> Reserve(IdempotencyKey key, byte[] requestHash, Func<CommittedRequest, IdempotentAnswer> answerLost, CancellationToken ct);

    /// <summary>Stores the answer of the request that holds the reservation.</summary>
    Task Complete(IdempotencyKey key, IdempotentAnswer answer, CancellationToken ct);

    /// <summary>
    /// Frees the key of a request that failed, so that a retry runs it; but when the request committed events before it
    /// failed, stores the answer <paramref name="answerLost"/> makes of them instead.
    /// </summary>
    Task Release(IdempotencyKey key, Func<CommittedRequest, IdempotentAnswer> answerLost, CancellationToken ct);
}

/// <summary>A key is the participant's own: two participants may use the same key.</summary>
public sealed record IdempotencyKey(string Participant, string Key);

/// <summary>An answer as it is replayed: status, the headers that matter to a retry, and the body.</summary>
public sealed record IdempotentAnswer(int Status, string? ContentType, string? Location, string? ETag, byte[]? Body);

/// <param name="RequestHash">Of the request that reserved the key: another request under the same key is refused.</param>
/// <param name="Answer">Null while the request that reserved the key is still running.</param>
public sealed record IdempotentEntry(byte[] RequestHash, DateTimeOffset ReservedAt, IdempotentAnswer? Answer);

/// <summary>
/// What a request whose answer was lost committed, found by its participant and key in the events' metadata: the first
/// stream it wrote to, that stream's version after it, and the log positions and number of its events there.
/// </summary>
public sealed record CommittedRequest(string StreamId, long FirstPosition, long LastPosition, long Version, long Count);
