using System.Threading.Channels;
using AssetLedger.Application.Commands;
using AssetLedger.Application.Devices;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace AssetLedger.Infrastructure.Devices;

/// <summary>
/// Takes devices' signed readings from the broker: an MQTT 5 client with a persistent session (clean start off, a stable
/// client id, a session expiry) on a shared subscription at QoS 1. A message is acknowledged only once
/// <see cref="ReadingIngestion.Record"/> has committed its readings (or refused them for good), so a crash in between
/// means the broker sends it again, never that it is lost; a reading sent twice is refused as replayed, never recorded twice.
/// MQTTnet hands messages over one at a time, so the handler only queues them: a batch of whatever has arrived is then
/// grouped by device, each device's messages recorded in one append, devices in parallel.
/// <para>
/// Grouping across devices is the event store's group commit: up to <see cref="MqttOptions.Parallelism"/> devices are
/// recorded at once, each judged against its cached state without a read (<see cref="ReadingIngestion"/>), and the
/// appends that arrive while one transaction commits are the next transaction, so a thousand devices each publishing
/// single readings make a few transactions of hundreds of events, not a thousand round trips. The window is the commit
/// in flight, not a timer: an idle registry records a lone reading (a critical one freezes its asset) at once. A device
/// stays one event per delivery, or per whatever piled up for it meanwhile: its stream is what orders its counters, holds
/// the key each reading was checked under and goes whole into an asset's evidence bundle, so its readings stay in it.
/// Under load that costs little: a lane takes whatever piled up for its device while its last delivery committed, so at
/// saturation 1,000 devices publishing single readings make about one event per 11 readings (scripts/profile-iot.sh),
/// and what remains per reading is its ES256 verification (docs/devices.md, "What a reading costs").
/// </para>
/// A shared subscription hands a device's consecutive messages to different instances, which may then record them out
/// of order: the later one first, the earlier refused as replayed. So an instance holding a device's reading whose
/// counter skips ahead of the log waits (up to <see cref="MqttOptions.ReorderWait"/>) for the readings before it to land.
/// </summary>
public sealed class MqttReadingSubscriber(ReadingIngestion ingestion, DeviceStates states, MqttOptions options, IClock clock, ILogger<MqttReadingSubscriber> log) : BackgroundService
{
    /// <summary>A message as received; acknowledged on the connection it came on, or not at all (the broker resends it after a reconnect).</summary>
    sealed record Delivery(string Topic, byte[] Payload, Func<CancellationToken, Task> Acknowledge, int Connection);

    readonly Channel<Delivery> _inbox = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    readonly Dictionary<string, Queue<Delivery>> _lanes = new(StringComparer.Ordinal);
    readonly SemaphoreSlim _recording = new(Math.Max(1, options.Parallelism));
    int _connection;
    IMqttClient? _client;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var processing = Process(ct);
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!ct.IsCancellationRequested)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var connection = Interlocked.Increment(ref _connection);
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            client.ApplicationMessageReceivedAsync += e =>
            {
                e.AutoAcknowledge = false;
                // The payload's buffer is the client's again once this returns: keep a copy.
                _inbox.Writer.TryWrite(new Delivery(e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload), e.AcknowledgeAsync, connection));
                return Task.CompletedTask;
            };
            client.DisconnectedAsync += _ => { lost.TrySetResult(); return Task.CompletedTask; };
            try
            {
                var connect = MqttOptions.Connection(options.Url!, options.Username, options.Password, options.ClientId, options.TlsFiles)
                    .WithCleanStart(false)
                    .WithSessionExpiryInterval((uint)Math.Min(uint.MaxValue, options.SessionExpiry.TotalSeconds))
                    .WithReceiveMaximum(options.ReceiveMaximum)
                    .Build();
                var result = await client.ConnectAsync(connect, ct);
                _client = client;
                await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic(options.Filter).WithAtLeastOnceQoS()).Build(), ct);
                log.LogInformation("Subscribed to {Filter} on {Broker} as {Client} (session {Session})", options.Filter, options.Url, options.ClientId, result.IsSessionPresent ? "resumed" : "new");
                backoff = TimeSpan.FromMilliseconds(250);
                await lost.Task.WaitAsync(ct);
                log.LogWarning("Lost the MQTT broker at {Broker}; reconnecting", options.Url);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // A clean disconnect keeps the session: what is unacknowledged comes back to this client id next time.
                try { if (client.IsConnected) await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None); }
                catch (Exception e) { log.LogDebug(e, "Disconnecting from the broker"); }
                break;
            }
            catch (Exception e)
            {
                log.LogWarning("Cannot reach the MQTT broker at {Broker} ({Error}); retrying in {Backoff}", options.Url, e.Message, backoff);
            }
            finally { _client = null; }
            try { await Task.Delay(backoff, ct); } catch (OperationCanceledException) { break; }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
        _inbox.Writer.TryComplete();
        try { await processing; } catch (OperationCanceledException) { }
    }

    /// <summary>
    /// One lane per device: its messages recorded in counter order (<see cref="Lane"/>), whatever has piled up meanwhile in one append.
    /// Lanes do not wait for one another, so a lane waiting for a predecessor held by another instance holds up no other device.
    /// </summary>
    async Task Process(CancellationToken ct)
    {
        await foreach (var d in _inbox.Reader.ReadAllAsync(ct))
        {
            lock (_lanes)
            {
                if (_lanes.TryGetValue(d.Topic, out var queue)) { queue.Enqueue(d); continue; }
                _lanes[d.Topic] = new Queue<Delivery>([d]);
            }
            _ = Task.Run(() => Lane(d.Topic, ct), CancellationToken.None);
        }
    }

    /// <summary>A delivery opened: its readings (base64 COSE messages) and the counters of its first and last readings, where they can be read.</summary>
    sealed record Held(Delivery Delivery, IReadOnlyList<string> Messages, long? First, long? Last)
    {
        public static Held Of(Delivery d)
        {
            var messages = ReadingTopics.Messages(d.Payload);
            var first = CounterOf(messages[0]);
            return new(d, messages, first, messages.Count == 1 ? first : CounterOf(messages[^1]) ?? first);
        }
    }

    /// <summary>
    /// A device's deliveries, held in counter order, recorded as soon as they follow on from its log. A delivery whose
    /// first counter skips ahead waits (up to <see cref="MqttOptions.ReorderWait"/>) for what is missing, which may come
    /// to this lane behind it (the broker keeps order only per publishing connection) or be recorded by another instance
    /// (read from the log). Meanwhile whatever else arrives for the device joins the lane, so once the gap is filled the
    /// lot is one append. A gap still open at the deadline is recorded past: the device's readings then show it.
    /// </summary>
    async Task Lane(string topic, CancellationToken ct)
    {
        var device = ReadingTopics.DeviceOf(topic) is { } id && DeviceLimits.IsWellFormedId(id) ? id : null;
        var held = new List<Held>();
        DateTime? gapUntil = null;
        while (true)
        {
            Delivery[] arrived;
            lock (_lanes)
            {
                var queue = _lanes[topic];
                if (queue.Count == 0 && held.Count == 0) { _lanes.Remove(topic); return; }
                arrived = [.. queue];
                queue.Clear();
            }
            // Opened outside the lock, which every lane and the broker's handler share.
            foreach (var d in arrived)
            {
                if (device is null) { held.Add(new(d, [], null, null)); continue; }
                try { held.Add(Held.Of(d)); }
                catch (Exception e) when (e is not OutOfMemoryException) { held.Add(new(d, [Convert.ToBase64String(d.Payload)], null, null)); }
            }
            try
            {
                if (device is null)
                {
                    log.LogWarning("Ignored {Count} MQTT messages on {Topic}: not a device's readings topic", held.Count, topic);
                    await Acknowledge(held, ct);
                    held.Clear();
                    continue;
                }
                // Stable: a repeat keeps its place after the delivery it repeats (and is refused as replayed).
                held = [.. held.OrderBy(h => h.First ?? long.MinValue)];
                var take = await Following(device, held, gapUntil is { } until && DateTime.UtcNow >= until, ct);
                if (take == 0)
                {
                    gapUntil ??= DateTime.UtcNow + options.ReorderWait;
                    await Task.Delay(20, ct);
                    continue;
                }
                gapUntil = null;
                var ready = held.GetRange(0, take);
                held.RemoveRange(0, take);
                foreach (var chunk in ready.SelectMany(h => h.Messages).Chunk(DeviceLimits.BatchMax)) await RecordUntilDone(device, chunk, ct);
                await Acknowledge(ready, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // Reading the device's log failed (the database away): the deliveries stay held, unacknowledged, and are tried again.
                log.LogWarning("Readings on {Topic} wait: {Error}; trying again in a second", topic, e.Message);
                try { await Task.Delay(1000, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>
    /// How many of the held deliveries (in counter order) follow on from the device's log without a gap: none when the
    /// first skips ahead, unless <paramref name="pastGap"/> (the wait is over), when the run from the first one on is taken.
    /// The cached state is never ahead of the log, so the log is read only when the cache shows a gap (another instance
    /// may have filled it) or knows nothing of the device.
    /// </summary>
    async Task<int> Following(string device, IReadOnlyList<Held> held, bool pastGap, CancellationToken ct)
    {
        var n = states.Cached(device) is { } cached ? Count(held, cached.LastCounter) : 0;
        if (n > 0) return n;
        var state = await states.Load(device, ct);
        // An unknown device has nothing to wait for: the ingestion refuses its readings.
        if (!state.Exists) return held.Count;
        n = Count(held, state.LastCounter);
        return n > 0 || !pastGap ? n : Count(held, held[0].First - 1);
    }

    static int Count(IReadOnlyList<Held> held, long? last)
    {
        var n = 0;
        foreach (var h in held)
        {
            if (h.First is { } first && last is { } before && first > before + 1) break;
            n++;
            if (h.Last is { } end && (last is null || end > last)) last = end;
        }
        return n;
    }

    async Task Acknowledge(IEnumerable<Held> deliveries, CancellationToken ct)
    {
        foreach (var h in deliveries)
        {
            var d = h.Delivery;
            // An acknowledgement belongs to the connection the message came on: after a reconnect the broker resends it.
            if (d.Connection != Volatile.Read(ref _connection) || _client is not { IsConnected: true }) continue;
            try { await d.Acknowledge(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogDebug(e, "Acknowledging a reading message"); }
        }
    }

    static long? CounterOf(string message) => SignedReadings.Open(message).Reading?.Counter;

    /// <summary>Records the readings, retrying while the database is away or the device keeps changing; gives up only on stopping (no acknowledgement then).</summary>
    async Task RecordUntilDone(string device, IReadOnlyList<string> messages, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                ReadingsAnswer answer;
                await _recording.WaitAsync(ct);
                try { answer = await ingestion.Record(new RecordDeviceReadings(device, messages, Actor.SystemActor, clock.UtcNow, new CommandContext(User: "mqtt:" + options.ClientId)), ct); }
                finally { _recording.Release(); }
                if (answer.Error is not { Kind: ErrorKind.Conflict })
                {
                    if (answer.Error is { } error) log.LogWarning("Readings for {Device} over MQTT refused whole: {Code} {Message}", device, error.Code, error.Message);
                    return;
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning("Recording {Count} readings for {Device} failed ({Error}); retrying in {Delay}", messages.Count, device, e.Message, delay);
            }
            ct.ThrowIfCancellationRequested();
            await Task.Delay(delay, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }
}
