using System.Diagnostics;
using AssetLedger.Application.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>
/// Sends the event log to each subscription from its cursor, in log order. Every instance runs it; a lease per
/// subscription (<see cref="WebhookLeases"/>) makes one the deliverer, and up to <see cref="WebhookOptions.Lanes"/>
/// subscriptions are served at once (<see cref="HeldSubscription"/>), each on a thread of its own (<see cref="LaneThread"/>), so a slow
/// or failing endpoint holds up only its own, and command load on the thread pool does not stretch a lane's round trips.
/// It wakes on a commit (<see cref="WebhookWakeups"/>), when a retry falls due, when a lane frees, and at the latest after
/// <see cref="WebhookOptions.PollInterval"/>; under a stream of commits it looks at most once per <see cref="WebhookOptions.LookGap"/>. A stop or a kill mid-request leaves the lease to run out and the cursor
/// where it was, so the next holder sends the same events again with the same <c>webhook-id</c>: never a gap.
/// </summary>
public sealed class WebhookDeliverer(WebhookLeases leases, IParticipantDirectory participants, RecentEvents recent, WebhookSender sender,
    WebhookWakeups wakeups, WebhookOptions options, ILogger<WebhookDeliverer> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken ct) => Task.WhenAll(wakeups.Listen(ct), Dispatch(ct));

    async Task Dispatch(CancellationToken ct)
    {
        var lanes = new List<Task>();
        var width = Math.Max(1, options.Lanes);
        var looked = 0L;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var wake = wakeups.Next();
                // At most one look per gap: a commit in it (taken above, so not missed) is looked at when the gap ends.
                var since = Stopwatch.GetElapsedTime(looked);
                if (looked != 0 && since < options.LookGap) await Task.Delay(options.LookGap - since, ct);
                lanes.RemoveAll(t => t.IsCompleted);
                var idle = options.PollInterval;
                while (lanes.Count < width)
                {
                    var (s, lease, until) = await leases.TakeDue(options.Lease, ct);
                    if (s is null)
                    {
                        if (until is { } due && due < idle) idle = due < MinimumPause ? MinimumPause : due;
                        break;
                    }
                    lanes.Add(LaneThread.Run(() => Serve(s, lease, ct), "webhook-lane"));
                }
                looked = Stopwatch.GetTimestamp();
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
                // A lane set free matters only when all were taken: a due subscription may be waiting for one.
                await Task.WhenAny([wake, Task.Delay(idle, timer.Token), .. lanes.Count >= width ? lanes : []]);
                await timer.CancelAsync();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                log.LogError(ex, "Looking for due webhook subscriptions failed; retrying.");
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { break; }
            }
        }
        await Task.WhenAll(lanes);
    }

    // Due at once but skipped (another instance locked the row that instant): look again soon, not in a busy loop.
    static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(20);

    async Task Serve(WebhookSubscription s, Guid lease, CancellationToken ct)
    {
        try { await new HeldSubscription(leases, participants, recent, sender, wakeups, options, log, lease).Serve(s, ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception ex)
        {
            log.LogError(ex, "Webhook delivery to subscription {Id} failed; it is due again in a second.", s.Id);
            try { await leases.Release(s.Id, lease, TimeSpan.FromSeconds(1), ct); }
            catch (Exception again) when (again is not OperationCanceledException) { log.LogWarning(again, "Could not give back the lease of {Id}.", s.Id); }
            catch (OperationCanceledException) { }
        }
    }
}
