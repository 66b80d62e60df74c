using AssetLedger.Domain.Common;

namespace AssetLedger.Api.Problems;

/// <summary>Faults of the service itself rather than refusals of a request: the client should retry.</summary>
public static class ServiceErrors
{
    /// <summary>Seconds a client should wait before it retries after <see cref="DatabaseUnavailable"/> (the Retry-After header).</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>
    /// The database could not be reached, or ended the request's work, part-way: a write may or may not have committed.
    /// Retrying with the same Idempotency-Key is safe either way (it gets the first answer, or runs once).
    /// </summary>
    public static readonly DomainError DatabaseUnavailable = new("service.unavailable",
        "The registry's database could not be reached, so the outcome of this request is unknown: retry with the same Idempotency-Key " +
        $"after {RetryAfterSeconds} seconds (Retry-After); a write that committed is answered as it was, one that did not is carried out once.",
        ErrorKind.Unavailable);

    /// <summary>More requests are waiting for their turn than <c>AssetLedger:Http:MaxQueuedRequests</c> allows (Api/Hosting/RequestAdmission).</summary>
    public static readonly DomainError Busy = new("service.busy",
        "The registry is answering as many requests as it can and more are waiting than it queues; nothing was done. Retry after " +
        "1 second (Retry-After), with the same Idempotency-Key for a write.", ErrorKind.Unavailable);
}
