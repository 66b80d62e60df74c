using AssetLedger.Infrastructure.EventStore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>
/// Wakes the deliverer when the log may have grown, so an event leaves within a round trip of its commit instead of at
/// the next poll: this process's commits through the event store's own signal, every process's through the NOTIFY that
/// the append function sends on <c>assetledger_events</c> (the projections follow the same channel). A hint only: a
/// missed one costs a poll interval, never an event, since the cursor in the table decides what is sent.
/// </summary>
public sealed class WebhookWakeups(NpgsqlDataSource db, PostgresEventStore? store, ILogger<WebhookWakeups> log)
{
    const string EventsChannel = "assetledger_events";
    /// <summary>Where a replay says that a subscription is due again now (it moved the cursor back, no event was committed).</summary>
    internal const string SubscriptionsChannel = "assetledger_webhooks";
    readonly AppendSignal _signal = new();

    /// <summary>Completes at the next commit seen after this call; take it before looking, so a commit in between is not missed.</summary>
    public Task Next() => store is null ? _signal.Next() : Task.WhenAny(_signal.Next(), store.NextCommit());

    /// <summary>Listens on the channel until cancelled, reconnecting after a failure; each notification wakes the waiters.</summary>
    public async Task Listen(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = await db.OpenConnectionAsync(ct);
                conn.Notification += (_, _) => _signal.Pulse();
                try
                {
                    await using (var listen = new NpgsqlCommand($"LISTEN {EventsChannel}; LISTEN {SubscriptionsChannel}", conn)) await listen.ExecuteNonQueryAsync(ct);
                    // Commits while this connection was away were not heard: a look now covers them.
                    _signal.Pulse();
                    while (true) await conn.WaitAsync(ct);
                }
                finally { await DatabaseConnections.Unlisten(conn); }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Listening for new events failed; polling until it is back.");
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { return; }
            }
        }
    }
}
