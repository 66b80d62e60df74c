using System.Security.Cryptography;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;

using static AssetLedger.Ledger.Tests.Devices.DeviceFixture;

namespace AssetLedger.Ledger.Tests.Devices;

/// <summary>
/// A delivery's readings logged as one event (issue 18): each reading is proved by its audit path to the event's Merkle
/// root, and a verifier re-decides the batch against the key the device held then. A tampered reading, an edited root,
/// a swapped key and a batch under a revoked key each fail; a reading's path proves nothing for another message or place.
/// </summary>
public sealed class reading_batches_are_proved_by_their_root
{
    readonly ECDsa _first = ECDsa.Create(ECCurve.NamedCurves.nistP256), _second = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    static string Message(ECDsa key, long counter) => SignedReadings.Sign(key, Device, counter, T0.AddMinutes(counter), Receipt.ToString(), Weight);

    static DeviceReadingsRecorded Batch(ECDsa key, params long[] counters) => ReadingBatches.Seal(new DeviceReadingsRecorded(Device,
        [.. counters.Select(c => new RecordedReading(c, T0.AddMinutes(c), Receipt, Weight, IdOf(key), Message(key, c)))], "", Warehouse, T0.AddMinutes(counters[^1]).AddSeconds(1)));

    /// <summary>Registered, bound, confirmed, a batch of three; the key rotated and confirmed again, a batch of two.</summary>
    List<IDeviceEvent> History() =>
    [
        new DeviceRegistered(Device, DeviceKind.Weighbridge, "tank farm 3", "Mettler", Spki(_first), IdOf(_first), Warehouse, T0),
        new DeviceBound(Device, Receipt, Warehouse, T0),
        new DeviceConfirmed(Device, IdOf(_first), Bank, T0),
        Batch(_first, 1, 2, 4),
        new DeviceKeyRotated(Device, Spki(_second), IdOf(_second), "scheduled rotation", Warehouse, T0.AddMinutes(5)),
        new DeviceConfirmed(Device, IdOf(_second), Bank, T0.AddMinutes(5)),
        Batch(_second, 6, 7),
    ];

    static IReadOnlyList<string> Problems(IReadOnlyList<IDeviceEvent> history)
    {
        var (keys, readings) = LoggedReadings.Check(history);
        return [.. keys.Select(k => k.Problem), .. readings.Where(r => r.Problem is not null).Select(r => r.Problem!)];
    }

    static DeviceReadingsRecorded With(IDeviceEvent e, int reading, Func<RecordedReading, RecordedReading> edit)
    {
        var batch = (DeviceReadingsRecorded)e;
        return batch with { Readings = [.. batch.Readings.Select((r, i) => i == reading ? edit(r) : r)] };
    }

    [Fact]
    public void every_reading_of_a_batch_holds_across_a_rotation()
    {
        var (keys, readings) = LoggedReadings.Check(History());

        Assert.Empty(keys);
        Assert.Equal([(3, 1L, (string?)null), (3, 2L, null), (3, 4L, null), (6, 6L, null), (6, 7L, null)], readings.Select(r => (r.Index, r.Counter, r.Problem)));
    }

    [Fact]
    public void each_reading_is_proved_by_its_path_to_the_root_and_nothing_else_is()
    {
        for (var size = 1; size <= 9; size++)
        {
            var messages = Enumerable.Range(1, size).Select(c => Message(_first, c)).ToList();
            var root = ReadingBatches.Root(messages);
            for (var i = 0; i < size; i++)
            {
                var path = ReadingBatches.Path(messages, i);
                Assert.True(ReadingBatches.Proves(messages[i], i, size, path, root), $"reading {i} of {size}");
                Assert.False(ReadingBatches.Proves(Message(_first, 100), i, size, path, root), $"another message as reading {i} of {size}");
                if (size > 1) Assert.False(ReadingBatches.Proves(messages[i], (i + 1) % size, size, path, root), $"reading {i} of {size} at another place");
            }
        }
    }

    [Fact]
    public void a_tampered_reading_fails_its_signature()
    {
        var history = History();
        history[6] = With(history[6], 1, r =>
        {
            var bytes = Convert.FromBase64String(r.Message);
            bytes[^10] ^= 1;
            return r with { Message = Convert.ToBase64String(bytes) };
        });

        Assert.Contains(Problems(history), p => p.Contains("signature does not hold"));
    }

    [Fact]
    public void a_logged_reading_that_says_other_than_its_signed_message_fails()
    {
        var history = History();
        history[3] = With(history[3], 2, r => r with { Measurements = new Measurements { Weight = "1300", Unit = "bbl" } });

        Assert.Contains("is not what its signed message says", Assert.Single(Problems(history)));
    }

    [Fact]
    public void a_root_that_is_not_the_readings_root_fails_and_so_does_a_reading_taken_out()
    {
        var edited = History();
        edited[3] = (DeviceReadingsRecorded)edited[3] with { Root = new string('0', 64) };
        Assert.All(Problems(edited), p => Assert.Contains("Merkle root", p));
        Assert.Equal(3, Problems(edited).Count);

        var shortened = History();
        var batch = (DeviceReadingsRecorded)shortened[3];
        shortened[3] = batch with { Readings = [batch.Readings[0], batch.Readings[2]] };
        Assert.Equal(2, Problems(shortened).Count(p => p.Contains("Merkle root")));
    }

    [Fact]
    public void a_swapped_key_fails_its_id_and_the_readings_signed_under_the_real_one()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var history = History();
        history[0] = (DeviceRegistered)history[0] with { PublicKeySpki = Spki(stranger) };

        var problems = Problems(history);

        Assert.Contains(", not its id ", problems[0]);
        Assert.Equal(3, problems.Count(p => p.Contains("signature does not hold")));
    }

    [Fact]
    public void a_batch_signed_by_a_revoked_key_fails_even_with_good_signatures()
    {
        var history = History();
        history.Add(Batch(_first, 8, 9));

        Assert.Equal(2, Problems(history).Count(p => p.Contains("revoked")));
    }

    [Fact]
    public void a_replayed_counter_inside_a_batch_fails()
    {
        var history = History();
        history.Add(Batch(_second, 8, 7));

        Assert.Contains(Problems(history), p => p.Contains("reading.replayed"));
    }
}
