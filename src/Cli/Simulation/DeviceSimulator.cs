using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using AssetLedger.Domain.Devices;
using AssetLedger.Infrastructure.Devices;
using AssetLedger.Ledger.Devices;

namespace AssetLedger.Cli.Simulation;

/// <summary>What the simulator can do wrong on purpose, to the first device, halfway through its readings.</summary>
public enum Anomaly { ShortWeight, GateOut, Silence, Replay, ForgedSignature }

public sealed record SimulationPlan(int Devices, int Readings, double Rate, int Batch, IReadOnlyList<Anomaly> Anomalies, bool OverHttp);

/// <summary>What was sent and what came back: over MQTT the broker's acknowledgements, over HTTP the registry's verdicts.</summary>
public sealed record SimulationResult(int Devices, long Published, long Acknowledged, long Accepted, long Refused, IReadOnlyDictionary<string, long> RefusedBy,
    IReadOnlyList<string> Injected, TimeSpan Elapsed, IReadOnlyList<string> DeviceIds)
{
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Published / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Simulated weighbridges: each gets a fresh P-256 key, is registered and bound by the warehouse to one of its receipts
/// and confirmed by the second party, then signs a reading per round (its counter growing by one) and publishes it to
/// the broker, or delivers it over HTTP. The readings are real COSE_Sign1 messages: the registry cannot tell them from a device's.
/// </summary>
public sealed class DeviceSimulator(RegistryClient warehouse, RegistryClient confirmer, IReadOnlyList<string> assets)
{
    sealed record SimDevice(string Id, ECDsa Key, string Asset, decimal Quantity, string Unit)
    {
        public string? Last;
        public long Counter;
    }

    readonly List<SimDevice> _devices = [];
    readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Registers, binds and confirms <paramref name="count"/> devices; <paramref name="progress"/> gets one tick per device.</summary>
    public async Task Register(int count, Action progress, CancellationToken ct)
    {
        var quantities = new Dictionary<string, (decimal, string)>();
        foreach (var a in assets) quantities[a] = await warehouse.Quantity(a, ct);
        var made = new ConcurrentBag<SimDevice>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, c) =>
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var id = $"sim-{_run}-{i:D5}";
            var asset = assets[i % assets.Count];
            await warehouse.Post("/api/v1/devices", new { id, kind = "Weighbridge", site = "simulated yard", make = "assetledger simulator", publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()) }, c);
            await warehouse.Post($"/api/v1/devices/{id}/bindings", new { assetId = asset }, c);
            await confirmer.Post($"/api/v1/devices/{id}/confirmations", new { }, c);
            var (quantity, unit) = quantities[asset];
            made.Add(new SimDevice(id, key, asset, quantity, unit));
            progress();
        });
        _devices.AddRange(made.OrderBy(d => d.Id, StringComparer.Ordinal));
    }

    /// <summary>
    /// Sends every device's readings, each device its own sequence of deliveries (a delivery waits for the one before it
    /// to be acknowledged, so a device's counters reach the broker in order), all devices at once with up to
    /// <see cref="InFlight"/> deliveries in flight; <paramref name="send"/> delivers one device's batch and says how it went.
    /// With no rate to keep (0), every reading is signed before the clock starts, on every core: an ES256 signature costs
    /// about what the registry's verification of it costs, so a simulator signing as it sends on the registry's cores
    /// measures itself, not the registry. With a rate, each reading is signed when it is due, its time the time it was sent.
    /// </summary>
    public async Task<SimulationResult> Run(SimulationPlan plan, Func<string, IReadOnlyList<string>, CancellationToken, Task<Delivered>> send, Action<int> progress, CancellationToken ct)
    {
        var injected = new List<string>();
        long published = 0, acknowledged = 0, accepted = 0, refused = 0;
        var refusedBy = new ConcurrentDictionary<string, long>();
        var rounds = new List<(int First, int Size)>();
        for (var round = 1; round <= plan.Readings; round += plan.Batch) rounds.Add((round, Math.Min(plan.Batch, plan.Readings - round + 1)));
        List<string>[][]? signed = null;
        if (plan.Rate <= 0 && (long)_devices.Count * plan.Readings <= PresignMax)
        {
            signed = new List<string>[_devices.Count][];
            Parallel.For(0, _devices.Count, i => signed[i] = [.. rounds.Select(r => BatchOf(_devices[i], r.First, r.Size, plan, injected))]);
        }
        using var inFlight = new SemaphoreSlim(InFlight);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(_devices.Select((d, i) => Task.Run(async () =>
        {
            for (var k = 0; k < rounds.Count; k++)
            {
                var (first, size) = rounds[k];
                var due = plan.Rate > 0 ? TimeSpan.FromSeconds((first - 1) / plan.Rate) : TimeSpan.Zero;
                if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed, ct);
                var batch = signed?[i][k] ?? BatchOf(d, first, size, plan, injected);
                if (batch.Count == 0) continue;
                Delivered outcome;
                await inFlight.WaitAsync(ct);
                try { outcome = await send(d.Id, batch, ct); }
                finally { inFlight.Release(); }
                Interlocked.Add(ref published, batch.Count);
                Interlocked.Add(ref acknowledged, outcome.Acknowledged);
                Interlocked.Add(ref accepted, outcome.Accepted);
                Interlocked.Add(ref refused, outcome.Refused.Count);
                foreach (var code in outcome.Refused) refusedBy.AddOrUpdate(code, 1, (_, n) => n + 1);
                progress(batch.Count);
            }
        }, ct)));
        return new SimulationResult(_devices.Count, published, acknowledged, accepted, refused, refusedBy, injected, clock.Elapsed, [.. _devices.Select(d => d.Id)]);
    }

    /// <summary>Deliveries in flight at once, all devices together (MQTT publishes awaiting the broker's PUBACK, or HTTP requests).</summary>
    const int InFlight = 256;

    /// <summary>At most this many readings are signed ahead (a few hundred bytes each); a longer run signs as it sends.</summary>
    const long PresignMax = 1_000_000;

    /// <summary>A device's readings <paramref name="first"/> to <paramref name="first"/> + <paramref name="size"/> - 1, signed, with any anomaly injected on the first device.</summary>
    List<string> BatchOf(SimDevice d, int first, int size, SimulationPlan plan, List<string> injected)
    {
        var halfway = Math.Max(1, plan.Readings / 2);
        var batch = new List<string>();
        for (var k = 0; k < size; k++)
        {
            var reading = first + k;
            var anomalous = d == _devices[0] && reading == halfway;
            if (d == _devices[0] && plan.Anomalies.Contains(Anomaly.Silence) && reading >= halfway) { Note(injected, anomalous, $"silence: {d.Id} stops after reading {halfway - 1}"); break; }
            var measured = MeasurementsOf(d, plan, reading >= halfway && d == _devices[0], anomalous, injected);
            var counter = ++d.Counter;
            var signed = SignedReadings.Sign(d.Key, d.Id, counter, DateTimeOffset.UtcNow, d.Asset, measured);
            if (anomalous && plan.Anomalies.Contains(Anomaly.ForgedSignature))
            {
                using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                batch.Add(SignedReadings.Sign(stranger, d.Id, counter, DateTimeOffset.UtcNow, d.Asset, measured));
                Note(injected, true, $"forged-signature: {d.Id} reading {counter} signed with a stranger's key");
                counter = ++d.Counter;
                signed = SignedReadings.Sign(d.Key, d.Id, counter, DateTimeOffset.UtcNow, d.Asset, measured);
            }
            if (anomalous && plan.Anomalies.Contains(Anomaly.Replay) && d.Last is { } previous)
            {
                batch.Add(previous);
                Note(injected, true, $"replay: {d.Id} sends reading {counter - 1} again");
            }
            batch.Add(signed);
            d.Last = signed;
        }
        return batch;
    }

    /// <summary>A true weight, or from halfway on the anomalous device the injected anomaly's measurements.</summary>
    static Measurements MeasurementsOf(SimDevice d, SimulationPlan plan, bool afterHalfway, bool anomalous, List<string> injected)
    {
        if (anomalous && plan.Anomalies.Contains(Anomaly.GateOut))
        {
            Note(injected, true, $"gate-out: {d.Id} sees goods leave through the gate (plate 沪A·88888) with no order");
            return new Measurements { Gate = GateDirection.Out, Plate = "沪A·88888" };
        }
        if (afterHalfway && plan.Anomalies.Contains(Anomaly.ShortWeight))
        {
            Note(injected, true, $"short-weight: {d.Id} weighs 80% of the receipt's {d.Quantity} {d.Unit} from reading {plan.Readings / 2} on");
            return new Measurements { Weight = (d.Quantity * 0.8m).ToString(CultureInfo.InvariantCulture), Unit = d.Unit };
        }
        return new Measurements { Weight = d.Quantity.ToString(CultureInfo.InvariantCulture), Unit = d.Unit };
    }

    static void Note(List<string> injected, bool first, string what)
    {
        if (!first) return;
        lock (injected) if (!injected.Contains(what)) injected.Add(what);
    }
}

/// <summary>How one batch went: acknowledged by the broker (MQTT), or accepted and refused by the registry (HTTP).</summary>
public sealed record Delivered(int Acknowledged, int Accepted, IReadOnlyList<string> Refused);
