using System.Security.Claims;
using System.Security.Cryptography;
using AssetLedger.Application.Diagnostics;
using AssetLedger.Application.Ports;

namespace AssetLedger.Api.Idempotency;

/// <summary>
/// Idempotency-Key on POST: the same participant, key and request within 24 hours gets the first answer again
/// and writes nothing; the same key with another request is a 422. The key is reserved in the store before the
/// command runs, so retries racing each other (even on different API instances) never both execute.
/// <para>
/// Once a key is reserved, the request runs to its end whether or not its client waits (a client that timed out
/// retries, and must get the first answer rather than run the command twice), and its key is only freed after the
/// command's append has finished and the store found none of its events. When the database is unreachable at that
/// moment, the answer or the release waits in <see cref="UnsettledKeys"/> until it answers again.
/// </para>
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IIdempotencyStore store, UnsettledKeys unsettled, ILogger<IdempotencyMiddleware> log)
{
    public const string Header = "Idempotency-Key";

    /// <summary>The request's <see cref="IdempotencyClaim"/> in <see cref="HttpContext.Items"/>, on endpoints marked <see cref="ReservedByTheAppend"/>.</summary>
    public const string ClaimItem = "assetledger.idempotency-claim";

    /// <summary>
    /// Endpoint metadata: the endpoint's only write is one command's append (the asset commands), so its key is reserved by
    /// that append instead of a transaction of its own beforehand (<see cref="Folded"/>).
    /// </summary>
    public sealed class ReservedByTheAppend
    {
        public static readonly ReservedByTheAppend Instance = new();
    }

    public async Task InvokeAsync(HttpContext http)
    {
        var key = KeyOf(http) ?? "";
        var participant = http.User.FindFirstValue(Security.TokenService.ParticipantClaim);
        if (!HttpMethods.IsPost(http.Request.Method) || key.Length == 0)
        {
            await next(http);
            return;
        }
        // The key's shape is checked for every POST, anonymous ones included, so that the document's limit holds everywhere.
        if (!IsWellFormed(key))
        {
            await Problems.Problems.From(Problems.AccessErrors.IdempotencyKeyInvalid).ExecuteAsync(http);
            return;
        }
        if (participant is null)
        {
            await next(http);
            return;
        }
        var clientGone = http.RequestAborted;

        http.Request.EnableBuffering();
        var hash = await RequestHash(http, clientGone);
        var reservation = new IdempotencyKey(participant, key);
        // A request of this key that ended here while the database was away: settle it first, so this retry finds its answer or a free key.
        await unsettled.Settle(reservation, CancellationToken.None);
        if (http.GetEndpoint()?.Metadata.GetMetadata<ReservedByTheAppend>() is not null && await Folded(http, reservation, hash, clientGone))
            return;
        await Reserved(http, reservation, hash, clientGone);
    }

    /// <summary>
    /// The request runs with its key's claim (<see cref="ClaimItem"/>), which its command's append reserves in the event store's
    /// group-commit batch; its answer is then stored in a later batch, and a refusal (nothing appended) with one statement that
    /// reserves and answers at once. So a keyed command costs no commit of its own. False when the key turned out to be held by
    /// another request: nothing was written, the response was reset, and the request goes the way of <see cref="Reserved"/>.
    /// </summary>
    async Task<bool> Folded(HttpContext http, IdempotencyKey reservation, byte[] hash, CancellationToken clientGone)
    {
        IdempotencyClaim claim;
        using (Stages.Start(Stages.IdempotencyReserve))
            http.Items[ClaimItem] = claim = new IdempotencyClaim(reservation, hash);
        // What the pipeline set before the endpoint (security headers, the request's id): a restart keeps it, and only it.
        var headers = http.Response.Headers.ToArray();
        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        http.RequestAborted = CancellationToken.None;
        var completed = false;
        try
        {
            await next(http);
            completed = true;
        }
        finally
        {
            http.RequestAborted = clientGone;
            http.Response.Body = original;
            http.Items.Remove(ClaimItem);
            if (!completed && claim.Written) await Release(reservation);
            else if (!completed && claim.Sent && !claim.Taken) await Settle(reservation, hash);
        }
        var answerable = Answerable(http.Response);
        if (claim.Taken) return Restart(http, headers);
        if (claim.Written)
        {
            if (answerable) await Complete(reservation, http.Response, buffer.ToArray());
            else await Release(reservation);
        }
        else if (claim.Sent && !answerable)
            await Settle(reservation, hash);
        else if (answerable)
        {
            bool stored;
            using (Stages.Start(Stages.IdempotencyAnswer))
                stored = await store.Answer(reservation, hash, AnswerOf(http.Response, buffer.ToArray()), CancellationToken.None);
            if (!stored) return Restart(http, headers);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, clientGone);
        return true;
    }

    /// <summary>Whether a response is an outcome to keep for the key: not a server error, and not a 429 ("not now").</summary>
    static bool Answerable(HttpResponse response) =>
        response.StatusCode < 500 && response.StatusCode != StatusCodes.Status429TooManyRequests;

    /// <summary>Forgets the answer made while the key was held by another request (nothing of it was written).</summary>
    static bool Restart(HttpContext http, KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>[] headers)
    {
        http.Response.Clear();
        foreach (var (name, value) in headers) http.Response.Headers[name] = value;
        http.Request.Body.Position = 0;
        return false;
    }

    /// <summary>
    /// The key is reserved in the store before the command runs: any POST may write more than events, so this serialises
    /// retries for every write, and takes over an expired or abandoned reservation.
    /// </summary>
    async Task Reserved(HttpContext http, IdempotencyKey reservation, byte[] hash, CancellationToken clientGone)
    {
        // Not cancelled by the client: a reservation made but not seen would hold the key for nothing.
        IdempotentEntry? existing;
        using (Stages.Start(Stages.IdempotencyReserve))
            existing = await store.Reserve(reservation, hash, AnswerLost, CancellationToken.None);
        if (existing is not null)
        {
            await Answer(http, existing, hash);
            return;
        }

        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        // The command's outcome must not depend on whether its client waited: it runs to its end, bounded by the database's timeouts.
        http.RequestAborted = CancellationToken.None;
        var completed = false;
        try
        {
            await next(http);
            completed = true;
        }
        finally
        {
            http.RequestAborted = clientGone;
            http.Response.Body = original;
            // A 429 says "not now", not an outcome: kept, it would answer every retry with the same refusal.
            if (completed && Answerable(http.Response))
                await Complete(reservation, http.Response, buffer.ToArray());
            else
                await Release(reservation);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, clientGone);
    }

    /// <summary>
    /// The request's idempotency key: a verified notice's webhook-id (kept apart from the participant's own keys), else
    /// the Idempotency-Key header; null without either. The command's metadata records it, so a lost answer is found.
    /// </summary>
    public static string? KeyOf(HttpContext http) =>
        http.Items[Security.SignedNotices.IdItem] is string notice ? "notice:" + notice
        : http.Request.Headers[Header].ToString() is { Length: > 0 } key ? key : null;

    /// <summary>The pattern the OpenAPI document publishes for the header.</summary>
    public const string KeyPattern = "^[ -~]{1,200}$";

    /// <summary>1–200 printable ASCII characters: what a UUID, a ULID or any client's own scheme needs, and nothing a log or a column cannot hold.</summary>
    public static bool IsWellFormed(string key) => key.Length <= 200 && key.All(c => c is >= ' ' and <= '~');

    static async Task<byte[]> RequestHash(HttpContext http, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n"));
        var chunk = new byte[8192];
        int n;
        while ((n = await http.Request.Body.ReadAsync(chunk, ct)) > 0) sha.AppendData(chunk, 0, n);
        http.Request.Body.Position = 0;
        return sha.GetHashAndReset();
    }

    static async Task Answer(HttpContext http, IdempotentEntry stored, byte[] hash)
    {
        var notice = http.Items.ContainsKey(Security.SignedNotices.IdItem);
        if (!stored.RequestHash.AsSpan().SequenceEqual(hash))
        {
            await Problems.Problems.From(notice ? Domain.Integrations.NoticeRules.IdReused : Problems.AccessErrors.IdempotencyKeyReused).ExecuteAsync(http);
            return;
        }
        if (stored.Answer is not { } answer)
        {
            http.Response.Headers.RetryAfter = "1";
            await Problems.Problems.From(notice ? Domain.Integrations.NoticeRules.IdInProgress : Problems.AccessErrors.IdempotencyInProgress).ExecuteAsync(http);
            return;
        }
        http.Response.StatusCode = answer.Status;
        if (answer.ContentType is { } type) http.Response.ContentType = type;
        if (answer.Location is { } location) http.Response.Headers.Location = location;
        if (answer.ETag is { } etag) http.Response.Headers.ETag = etag;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (answer.Body is { Length: > 0 } body) await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    static IdempotentAnswer AnswerOf(HttpResponse response, byte[] body) => new(response.StatusCode, response.ContentType,
        OrNull(response.Headers.Location.ToString()), OrNull(response.Headers.ETag.ToString()), body);

    /// <summary>After a request whose append carried its key failed without knowing whether it committed (see <see cref="IIdempotencyStore.Settle"/>).</summary>
    async Task Settle(IdempotencyKey key, byte[] hash)
    {
        try { await store.Settle(key, hash, AnswerLost, CancellationToken.None); }
        catch (Exception ex)
        {
            // If it committed, a retry after the reservation is abandoned finds its events (IIdempotencyStore.Reserve).
            log.LogWarning("Could not settle Idempotency-Key {Key} ({Error})", key.Key, ex.Message);
        }
    }

    async Task Complete(IdempotencyKey key, HttpResponse response, byte[] body)
    {
        var answer = AnswerOf(response, body);
        try
        {
            using var stage = Stages.Start(Stages.IdempotencyAnswer);
            await store.Complete(key, answer, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The command itself succeeded: its answer is stored when the database is back, so a retry gets it.
            log.LogWarning("Could not store the answer for Idempotency-Key {Key} ({Error}); it is stored when the database answers again", key.Key, ex.Message);
            unsettled.Add(key, answer);
        }
    }

    static string? OrNull(string s) => s.Length > 0 ? s : null;

    /// <summary>
    /// The answer to a request that committed events but whose answer was never stored: a 409 problem that says where its
    /// events are, so that no retry runs the command a second time.
    /// </summary>
    internal static IdempotentAnswer AnswerLost(CommittedRequest committed) => new(StatusCodes.Status409Conflict, "application/problem+json", null, null,
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = Problems.Problems.TypePrefix + "idempotency.answer_lost",
            ["title"] = "Conflict",
            ["status"] = StatusCodes.Status409Conflict,
            ["detail"] = $"The request with this Idempotency-Key was carried out: {committed.Count} event(s) in stream {committed.StreamId}, up to version {committed.Version} " +
                $"(log positions {committed.FirstPosition}–{committed.LastPosition}), but its answer was lost. It was not run again. Read the resource for its state.",
            ["code"] = "idempotency.answer_lost",
            ["field"] = Header,
            ["streamId"] = committed.StreamId,
            ["version"] = committed.Version,
            ["positions"] = new[] { committed.FirstPosition, committed.LastPosition },
        }));

    /// <summary>
    /// Only after the command ended, so its append (if any) has committed or failed for good: the store frees the key when
    /// it finds none of the request's events, and otherwise keeps the answer made of them.
    /// </summary>
    async Task Release(IdempotencyKey key)
    {
        try { await store.Release(key, AnswerLost, CancellationToken.None); }
        catch (Exception ex)
        {
            log.LogWarning("Could not release Idempotency-Key {Key} ({Error}); it is released when the database answers again", key.Key, ex.Message);
            unsettled.Add(key, null);
        }
    }
}
