using System.Security.Claims;
using System.Security.Cryptography;
using AssetLedger.Application.Ports;

namespace AssetLedger.Api.Idempotency;

/// <summary>
/// Idempotency-Key on POST: the same participant, key and request within 24 hours gets the first answer again
/// and writes nothing; the same key with another request is a 422. The key is reserved in the store before the
/// command runs, so retries racing each other (even on different API instances) never both execute.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IIdempotencyStore store, ILogger<IdempotencyMiddleware> log)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext http)
    {
        var key = http.Request.Headers[Header].ToString();
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
        var ct = http.RequestAborted;

        http.Request.EnableBuffering();
        var hash = await RequestHash(http, ct);
        var reservation = new IdempotencyKey(participant, key);
        var existing = await store.Reserve(reservation, hash, AnswerLost, ct);
        if (existing is not null)
        {
            await Answer(http, existing, hash);
            return;
        }

        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        var completed = false;
        try
        {
            await next(http);
            completed = true;
        }
        finally
        {
            http.Response.Body = original;
            if (completed && http.Response.StatusCode < 500)
                await Complete(reservation, http.Response, buffer.ToArray());
            else
                await Release(reservation);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
    }

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
        if (!stored.RequestHash.AsSpan().SequenceEqual(hash))
        {
            await Problems.Problems.From(Problems.AccessErrors.IdempotencyKeyReused).ExecuteAsync(http);
            return;
        }
        if (stored.Answer is not { } answer)
        {
            await Problems.Problems.From(Problems.AccessErrors.IdempotencyInProgress).ExecuteAsync(http);
            return;
        }
        http.Response.StatusCode = answer.Status;
        if (answer.ContentType is { } type) http.Response.ContentType = type;
        if (answer.Location is { } location) http.Response.Headers.Location = location;
        if (answer.ETag is { } etag) http.Response.Headers.ETag = etag;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (answer.Body is { Length: > 0 } body) await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    async Task Complete(IdempotencyKey key, HttpResponse response, byte[] body)
    {
        try
        {
            await store.Complete(key, new IdempotentAnswer(response.StatusCode, response.ContentType,
                OrNull(response.Headers.Location.ToString()), OrNull(response.Headers.ETag.ToString()), body), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The command itself succeeded; a retry after this finds the reservation abandoned and, in the events, that it committed.
            log.LogWarning(ex, "Could not store the answer for Idempotency-Key {Key}", key.Key);
        }
    }

    static string? OrNull(string s) => s.Length > 0 ? s : null;

    /// <summary>
    /// The answer to a request that committed events but whose answer was never stored: a 409 problem that says where its
    /// events are, so that no retry runs the command a second time.
    /// </summary>
    static IdempotentAnswer AnswerLost(CommittedRequest committed) => new(StatusCodes.Status409Conflict, "application/problem+json", null, null,
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

    async Task Release(IdempotencyKey key)
    {
        try { await store.Release(key, AnswerLost, CancellationToken.None); }
        catch (Exception ex) { log.LogWarning(ex, "Could not release Idempotency-Key {Key}", key.Key); }
    }
}
