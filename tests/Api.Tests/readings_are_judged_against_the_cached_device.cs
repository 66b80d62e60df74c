using System.Collections.Concurrent;
using System.Security.Cryptography;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Application.Devices.Alarms;
using AssetLedger.Application.Ports;
using AssetLedger.Domain.Devices.Alarms;
using AssetLedger.Infrastructure.EventStore;
using Microsoft.Extensions.DependencyInjection;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.DeviceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 18, single readings at scale: a device this instance already knows has its next reading judged against the
/// state it cached, with one append and no read of the device's stream; when another instance (or a command) moved the
/// stream on meanwhile, the append naming the cached version is refused and the reading is judged again from the stream,
/// so a stale cache never accepts what the device's current state refuses.
/// </summary>
public sealed class readings_are_judged_against_the_cached_device : IAsyncLifetime
{
    readonly ConcurrentQueue<string> _streamReads = new();
    readonly ApiServer _api;
    /// <summary>While set, a read of the alarm rule book's stream waits for it.</summary>
    volatile TaskCompletionSource? _holdRuleReads;

    public readings_are_judged_against_the_cached_device() => _api = new ApiServer
    {
        ConfigureServices = s => s.AddSingleton<IEventStore>(sp => new StreamReadsCounted(sp.GetRequiredService<PostgresEventStore>(), _streamReads, () => _holdRuleReads)),
    };

    public async Task InitializeAsync()
    {
        await _api.InitializeAsync();
        await Cast(_api);
    }

    public Task DisposeAsync() => _api.DisposeAsync();

    Task<Reply> Deliver(ApiServer api, string device, params string[] readings) => api.Post($"/api/v1/devices/{device}/readings", "wh-1", new { readings });

    [Fact]
    public async Task a_known_device_s_next_reading_is_appended_without_reading_its_stream()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge(_api);
        await Ok(Deliver(_api, device, Sign(key, device, 1, receipt)));
        _streamReads.Clear();

        var answer = await Ok(Deliver(_api, device, Sign(key, device, 2, receipt)));

        Assert.Single(answer.Json["accepted"]!.AsArray());
        Assert.DoesNotContain("device-" + device, _streamReads);
        Assert.Equal([1L, 2L], await Counters(_api, device));
    }

    [Fact]
    public async Task a_reading_another_instance_already_logged_is_refused_as_replayed_not_logged_twice()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge(_api);
        await Ok(Deliver(_api, device, Sign(key, device, 1, receipt)));
        await using var second = await _api.SecondInstance();
        var third = Sign(key, device, 3, receipt);
        await Ok(Deliver(second, device, Sign(key, device, 2, receipt), third));

        // This instance's cache still ends at counter 1, where the third reading looks new.
        var again = await Ok(Deliver(_api, device, third));
        var next = await Ok(Deliver(_api, device, Sign(key, device, 4, receipt)));

        Assert.Equal("reading.replayed", again.Json["refused"]![0]!["code"]!.GetValue<string>());
        Assert.Empty(again.Json["accepted"]!.AsArray());
        Assert.Single(next.Json["accepted"]!.AsArray());
        Assert.Equal([1L, 2L, 3L, 4L], await Counters(_api, device));
    }

    [Fact]
    public async Task a_key_rotated_on_another_instance_revokes_the_old_key_here_at_once()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge(_api);
        await Ok(Deliver(_api, device, Sign(key, device, 1, receipt)));
        await using var second = await _api.SecondInstance();
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await Ok(second.Post($"/api/v1/devices/{device}/key", "wh-1", new { publicKey = Spki(next), reason = "key leaked" }));

        var answer = await Ok(Deliver(_api, device, Sign(key, device, 2, receipt)));

        Assert.Equal("reading.revoked_key", answer.Json["refused"]![0]!["code"]!.GetValue<string>());
        Assert.Equal([1L], await Counters(_api, device));
    }

    [Fact]
    public async Task devices_recorded_at_once_share_their_reads_of_the_alarm_rules()
    {
        var books = _api.Service<AlarmRuleBooks>();
        await books.Load(CancellationToken.None);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holdRuleReads = held;
        _streamReads.Clear();

        // A read is under way (held in the store) when 64 more loads are asked for, as when hundreds of devices' single
        // readings are recorded together, each batch then running the rules.
        var first = Task.Run(() => books.Load(CancellationToken.None));
        for (var i = 0; i < 600 && !_streamReads.Contains(AlarmRuleDecider.Stream); i++) await Task.Delay(50);
        Assert.Contains(AlarmRuleDecider.Stream, _streamReads);
        // Each asks before it first awaits, so all 64 have asked while the first read is still open.
        var waiting = Enumerable.Range(0, 64).Select(_ => books.Load(CancellationToken.None)).ToList();
        _holdRuleReads = null;
        held.SetResult();
        await Task.WhenAll([first, .. waiting]);

        // One read each (65, one after another behind the book's gate) before; now the read that started after they asked
        // answers all 64: two reads in all (a third only if a background load came after them).
        Assert.InRange(_streamReads.Count(s => s == AlarmRuleDecider.Stream), 2, 3);
    }

    /// <summary>The real store, noting each stream read on its own.</summary>
    sealed class StreamReadsCounted(IEventStore inner, ConcurrentQueue<string> reads, Func<TaskCompletionSource?> hold) : IEventStore
    {
        public Task<AppendResult> Append(AppendRequest request, CancellationToken ct) => inner.Append(request, ct);
        public Task<IReadOnlyList<AppendResult>> Append(IReadOnlyList<AppendRequest> requests, CancellationToken ct) => inner.Append(requests, ct);

        public async Task<IReadOnlyList<StoredEvent>> ReadStream(string streamId, long fromVersion, int maxCount, CancellationToken ct)
        {
            reads.Enqueue(streamId);
            if (streamId == AlarmRuleDecider.Stream && hold() is { } held) await held.Task;
            return await inner.ReadStream(streamId, fromVersion, maxCount, ct);
        }

        public Task<IReadOnlyDictionary<string, IReadOnlyList<StoredEvent>>> ReadStreams(IReadOnlyList<string> streamIds, int maxCount, CancellationToken ct)
        {
            foreach (var id in streamIds) reads.Enqueue(id);
            return inner.ReadStreams(streamIds, maxCount, ct);
        }

        public Task<IReadOnlyList<StoredEvent>> ReadPositions(IReadOnlyList<long> positions, CancellationToken ct) => inner.ReadPositions(positions, ct);
        public Task<IReadOnlyList<StoredEvent>> ReadAll(long afterPosition, int maxCount, CancellationToken ct) => inner.ReadAll(afterPosition, maxCount, ct);
        public Task<long> HeadPosition(CancellationToken ct) => inner.HeadPosition(ct);
        public IAsyncEnumerable<StoredEvent> Subscribe(long afterPosition, CancellationToken ct, int pageSize = 500) => inner.Subscribe(afterPosition, ct, pageSize);
    }
}
