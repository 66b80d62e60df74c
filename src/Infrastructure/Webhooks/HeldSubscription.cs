using System.Diagnostics;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Webhooks;
using Microsoft.Extensions.Logging;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>
/// One lease of one subscription: batches of the log after its cursor (from the instance's <see cref="RecentEvents"/>), each sent with up to
/// <see cref="WebhookOptions.InFlight"/> requests at once, in log order. The cursor moves, once per batch, only over the
/// unbroken run of events from its front that were answered 2xx or are not for this subscription: an answer for a later
/// event never moves it past an earlier one still open or failed, so a failure sends that event and those after it again,
/// with their ids. While new events keep coming the lease is kept (no lease write per round); after a quiet spell it is
/// given back.
/// </summary>
sealed class HeldSubscription(WebhookLeases leases, IParticipantDirectory participants, RecentEvents recent, WebhookSender sender,
    WebhookWakeups wakeups, WebhookOptions options, ILogger log, Guid lease)
{
    readonly Stopwatch _renewed = Stopwatch.StartNew();

    /// <summary>Delivers until caught up and quiet, failed, or held for a lease's length (so others due get a lane); then ends the lease.</summary>
    public async Task Serve(WebhookSubscription taken, CancellationToken ct)
    {
        var held = Stopwatch.StartNew();
        var s = taken;
        var quiet = options.Lease / 3;
        while (true)
        {
            var wake = wakeups.Next();
            var events = await recent.After(s.Position, options.BatchSize, ct);
            if (events.Count == 0)
            {
                if (held.Elapsed < options.Lease && await Woken(wake, quiet, ct) && await leases.Held(s.Id, lease, ct) is { } now) { s = now; continue; }
                await leases.Release(s.Id, lease, TimeSpan.Zero, ct);
                return;
            }
            // The subscriber's roles as they are now: a suspended participant receives nothing until it is active again.
            if (await participants.Find(new ParticipantId(s.Owner), ct) is not { Active: true } owner)
            {
                await leases.Release(s.Id, lease, TimeSpan.FromSeconds(5), ct);
                return;
            }
            // Only this lease's holder moves the cursor (a replay ends the lease first), so it is where the batch left it.
            if (await Deliver(s, new Actor(owner.Id, owner.Roles), events, ct) is not { } after) return;
            s = after;
            if (held.Elapsed >= options.Lease)
            {
                await leases.Release(s.Id, lease, TimeSpan.Zero, ct);
                return;
            }
        }
    }

    static async Task<bool> Woken(Task wake, TimeSpan within, CancellationToken ct)
    {
        try { await wake.WaitAsync(within, ct); return true; }
        catch (TimeoutException) { return false; }
    }

    /// <summary>Sends one batch and writes its outcome: the subscription as it left it, or null when the lease ended (a failure, or lost).</summary>
    async Task<WebhookSubscription?> Deliver(WebhookSubscription s, Actor actor, IReadOnlyList<PreparedEvent> events, CancellationToken ct)
    {
        var window = new Queue<(PreparedEvent Event, Task<WebhookAttempt>? Sending)>();
        var attempts = new List<WebhookAttempt>();
        var passed = s.Position;
        var written = s.Position;
        WebhookAttempt? failure = null;
        var deliveredBefore = false;

        // Takes what is done from the front of the window, in log order: the cursor follows while all went well.
        void Settle()
        {
            while (window.TryPeek(out var head) && head.Sending is null or { IsCompleted: true })
            {
                window.Dequeue();
                if (head.Sending is null) { if (failure is null) passed = head.Event.Position; continue; }
                var attempt = head.Sending.Result;
                // A batch's events share one attempt: it is recorded once.
                if (attempts.Count == 0 || !ReferenceEquals(attempts[^1], attempt)) attempts.Add(attempt);
                if (failure is not null) continue;
                if (attempt.Succeeded) { passed = head.Event.Position; deliveredBefore = true; }
                else failure = attempt;
            }
        }

        bool Failing() => failure is not null || window.Any(w => w.Sending is { IsCompletedSuccessfully: true } t && !t.Result.Succeeded);
        IEnumerable<Task<WebhookAttempt>> Open() => window.Where(w => w.Sending is { IsCompleted: false }).Select(w => w.Sending!).Distinct();

        // A cursor write started beside an open request; any later write waits for it, so writes land in order.
        Task<bool>? writing = null;

        // Writes the cursor as far as the answers allow; false when the lease is lost.
        async Task<bool> Write()
        {
            if (writing is not null && !await writing) return false;
            Settle();
            var upTo = passed;
            var taken = attempts.ToList();
            attempts.Clear();
            if (!await Advance(s, upTo, taken, ct)) return false;
            written = upTo;
            return true;
        }

        // Waits for the next answer. One batch is one cursor write, but not while a request stays open: answers already
        // taken are written after a short grace, so a crash then sends again only what was still open. That write runs
        // beside the request: the next event goes as soon as this one is answered, not once the database has written.
        async Task<bool> NextAnswer()
        {
            if (writing is { IsCompleted: true } && !await writing) return false;
            // The request the caller saw open may have been answered since: then there is nothing to wait for.
            var open = Open().ToArray();
            if (open.Length == 0) { Settle(); return true; }
            var next = Task.WhenAny(open);
            if (passed > written && writing is null or { IsCompleted: true } && await Task.WhenAny(next, Task.Delay(OpenRequestGrace, ct)) != next)
                writing = Write();
            await next;
            Settle();
            return true;
        }

        // One request at a time on the lane's own thread: each is sent and answered blocking (no pool queue in the round
        // trip), and the answers before it are written beside it every so often, as the grace does for an open request.
        var blocking = options.InFlight <= 1 && LaneThread.OnLane;
        var sinceWrite = Stopwatch.StartNew();
        var leaseKept = true;
        foreach (var request in Requests(s, actor, events))
        {
            var admitted = request.Sent.Count > 0;
            if (admitted)
            {
                while (leaseKept && Open().Count() >= Math.Max(1, options.InFlight)) leaseKept = await NextAnswer();
                if (!leaseKept || Failing()) break;
                // Every request must end (answer or time-out) while the lease still runs: renew before starting one that could outlast it.
                if (_renewed.Elapsed + options.Timeout >= options.Lease * 0.8 && !(leaseKept = await Write())) break;
                if (blocking)
                {
                    // A write started beside finishes on this thread: let it, between two requests.
                    if (writing is { IsCompleted: false }) await Task.Yield();
                    if (writing is { IsCompleted: true } && !await writing) { leaseKept = false; break; }
                    if (passed > written && writing is null or { IsCompleted: true } && sinceWrite.Elapsed >= WriteWhileSending)
                    {
                        writing = Write();
                        sinceWrite.Restart();
                    }
                }
            }
            var sending = !admitted ? null : blocking ? Task.FromResult(sender.SendBlocking(s, request.Sent, ct)) : sender.Send(s, request.Sent, ct);
            foreach (var (e, sent) in request.Events) window.Enqueue((e, sent ? sending : null));
            Settle();
        }
        while (leaseKept && Open().Any()) leaseKept = await NextAnswer();
        await Task.WhenAll(window.Where(w => w.Sending is not null).Select(w => w.Sending!));
        if (writing is not null && !await writing) leaseKept = false;
        Settle();
        if (!leaseKept) return null;
        if (failure is null)
            return !await Write() ? null
                : deliveredBefore ? s with { Position = passed, Failures = 0, FailingSince = null } : s with { Position = passed };
        await Fail(s, passed, attempts, failure, deliveredBefore ? 0 : s.Failures, ct);
        return null;
    }

    /// <summary>
    /// The batch's events cut into requests, in log order: each request carries up to the subscription's
    /// <see cref="WebhookSubscription.MaxEventsPerRequest"/> events for it, with the events not for it that lie between
    /// (they pass with the request). A subscription of one event per request gets one request per event for it; a batch
    /// is sent as soon as it is full or the read ends, never held back waiting for more.
    /// </summary>
    static IEnumerable<(List<(PreparedEvent Event, bool Sent)> Events, List<PreparedEvent> Sent)> Requests(WebhookSubscription s, Actor actor,
        IReadOnlyList<PreparedEvent> events)
    {
        var most = Math.Max(1, s.MaxEventsPerRequest);
        var current = (Events: new List<(PreparedEvent Event, bool Sent)>(), Sent: new List<PreparedEvent>());
        foreach (var e in events)
        {
            var admitted = WebhookSender.Admits(s, actor, e);
            // An event not for it, after a request's events, waits behind that request; before any, it passes alone.
            if (!admitted && current.Sent.Count == 0)
            {
                yield return ([(e, false)], []);
                continue;
            }
            current.Events.Add((e, admitted));
            if (admitted) current.Sent.Add(e);
            if (current.Sent.Count < most) continue;
            yield return current;
            current = ([], []);
        }
        if (current.Events.Count > 0) yield return current;
    }

    /// <summary>How long a request may stay open before the answers before it are written (so a crash then resends little).</summary>
    static readonly TimeSpan OpenRequestGrace = TimeSpan.FromMilliseconds(20);

    /// <summary>How often a lane that sends blocking writes the answers it has while the batch goes on.</summary>
    static readonly TimeSpan WriteWhileSending = TimeSpan.FromMilliseconds(100);

    async Task<bool> Advance(WebhookSubscription s, long passed, List<WebhookAttempt> attempts, CancellationToken ct)
    {
        var kept = await leases.Advance(s.Id, lease, options.Lease, passed, attempts, release: false, ct);
        if (kept) _renewed.Restart();
        return kept;
    }

    async Task Fail(WebhookSubscription s, long passed, List<WebhookAttempt> attempts, WebhookAttempt failed, int failuresBefore, CancellationToken ct)
    {
        var failures = failuresBefore + 1;
        var failingSince = failuresBefore == 0 || s.FailingSince is null ? failed.AttemptedAt : s.FailingSince.Value;
        var reason = failed.StatusCode == 410 ? "The endpoint answered 410 Gone."
            : RetrySchedule.GivesUp(failingSince, failed.AttemptedAt, options.DisableAfter)
                ? $"Failing since {failingSince:O}, longer than {options.DisableAfter}; last: {failed.Error}." : null;
        var scheduled = failed with { NextAttemptAt = reason is null ? failed.AttemptedAt + RetrySchedule.After(failures, options.RetryScale) : null };
        var recorded = attempts.Select(a => ReferenceEquals(a, failed) ? scheduled : a).ToList();
        await leases.Failed(s.Id, lease, passed, recorded, scheduled, failures, failingSince, reason, ct);
        if (reason is null) return;
        log.LogWarning("Webhook subscription {Id} of {Owner} disabled: {Reason}", s.Id, s.Owner, reason);
        await sender.NoticeOfDisabling(s with { Position = passed }, reason, failed.AttemptedAt, ct);
    }
}
