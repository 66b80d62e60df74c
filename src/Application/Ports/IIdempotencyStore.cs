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
    /// Reserves the key and stores its answer at once, for a request that wrote nothing (a refusal): false, with nothing
    /// stored, when the key is held (by a request that ran meanwhile, or an old entry to take over as <see cref="Reserve"/> does).
    /// </summary>
    Task<bool> Answer(IdempotencyKey key, byte[] requestHash, IdempotentAnswer answer, CancellationToken ct);

    /// <summary>
    /// After a request whose append carried its key (<see cref="IdempotencyClaim"/>) ended without knowing whether the append
    /// committed: when the key is held for this request and its events are stored, stores the answer <paramref name="answerLost"/>
    /// makes of them. Never frees a key: one not held for this request may be another request's.
    /// </summary>
    Task Settle(IdempotencyKey key, byte[] requestHash, Func<CommittedRequest, IdempotentAnswer> answerLost, CancellationToken ct);

    /// <summary>
    /// Frees the key of a request that failed, so that a retry runs it; but when the request committed events before it
    /// failed, stores the answer <paramref name="answerLost"/> makes of them instead.
    /// </summary>
    Task Release(IdempotencyKey key, Func<CommittedRequest, IdempotentAnswer> answerLost, CancellationToken ct);
}

/// <summary>
/// An Idempotency-Key reserved by the append that carries the command's events (<see cref="AppendRequest.Claim"/>), so that a
/// keyed command is one commit: its reservation is in the event store's group-commit batch, and its answer rides in a later one.
/// The command reports what became of the claim: <see cref="Written"/> once an append carrying it committed, <see cref="Taken"/>
/// when another request held the key (nothing was written; the request then goes the way of <see cref="IIdempotencyStore.Reserve"/>).
/// </summary>
public sealed class IdempotencyClaim(IdempotencyKey key, byte[] requestHash)
{
    /// <summary>The <see cref="AppendResult.TakenKey"/> of an append refused because its claim's key was held.</summary>
    public const string TakenKey = "idempotency-key";

    public IdempotencyKey Key { get; } = key;
    public byte[] RequestHash { get; } = requestHash;

    int _state;
    /// <summary>Handed to the store in an append, whose outcome may be unknown (the append failed): the key may be held for this request.</summary>
    public bool Sent => Volatile.Read(ref _state) >= 1;
    public bool Written => Volatile.Read(ref _state) == 2;
    public bool Taken => Volatile.Read(ref _state) == 3;

    public void MarkSent() => Interlocked.CompareExchange(ref _state, 1, 0);
    public void MarkWritten() => Volatile.Write(ref _state, 2);
    public void MarkTaken() => Volatile.Write(ref _state, 3);
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
