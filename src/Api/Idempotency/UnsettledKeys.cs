using System.Collections.Concurrent;
using AssetLedger.Application.Ports;

namespace AssetLedger.Api.Idempotency;

/// <summary>
/// Idempotency keys whose request ended on this instance while the database could not be reached: the answer to store,
/// or (for a request that failed) the release to do, which finds out from the events whether the command committed.
/// Each is settled as soon as the database answers again, by the loop here (every half second) or by a retry of the key
/// on this instance, which settles it before it reserves. So a prompt retry after an outage gets the first answer, or runs
/// the command once, instead of <c>409 idempotency.in_progress</c> until the reservation is abandoned (60 s).
/// </summary>
public sealed class UnsettledKeys(IIdempotencyStore store, ILogger<UnsettledKeys> log) : BackgroundService
{
    /// <summary>
    /// After this the store treats the reservation as abandoned and a retry anywhere takes it over (finding its events
    /// itself), so a later release here could free a newer reservation: it is dropped instead.
    /// </summary>
    static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(45);
    static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);

    sealed record Pending(IdempotentAnswer? Answer, DateTimeOffset Since);

    readonly ConcurrentDictionary<IdempotencyKey, Pending> _keys = new();
    readonly SemaphoreSlim _settling = new(1, 1);

    /// <param name="answer">The answer to store; null to release the key (the request failed).</param>
    public void Add(IdempotencyKey key, IdempotentAnswer? answer) => _keys[key] = new Pending(answer, DateTimeOffset.UtcNow);

    public int Count => _keys.Count;

    /// <summary>Settles the key if it is waiting here; throws if the database is still unreachable.</summary>
    public async Task Settle(IdempotencyKey key, CancellationToken ct)
    {
        if (_keys.IsEmpty || !_keys.ContainsKey(key)) return;
        await _settling.WaitAsync(ct);
        try
        {
            if (_keys.TryGetValue(key, out var pending)) await SettleOne(key, pending, ct);
        }
        finally { _settling.Release(); }
    }

    async Task SettleOne(IdempotencyKey key, Pending pending, CancellationToken ct)
    {
        if (DateTimeOffset.UtcNow - pending.Since > GiveUpAfter)
        {
            _keys.TryRemove(new KeyValuePair<IdempotencyKey, Pending>(key, pending));
            log.LogWarning("Gave up settling Idempotency-Key {Key}: a retry finds it abandoned and its events", key.Key);
            return;
        }
        if (pending.Answer is { } answer) await store.Complete(key, answer, ct);
        else await store.Release(key, IdempotencyMiddleware.AnswerLost, ct);
        _keys.TryRemove(new KeyValuePair<IdempotencyKey, Pending>(key, pending));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (_keys.IsEmpty) continue;
            await _settling.WaitAsync(stoppingToken);
            try
            {
                foreach (var (key, pending) in _keys)
                {
                    try { await SettleOne(key, pending, stoppingToken); }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        log.LogDebug(ex, "The database is still unreachable; {Count} idempotency key(s) wait to be settled", _keys.Count);
                        break;
                    }
                }
            }
            finally { _settling.Release(); }
        }
    }
}
