using System.Security.Cryptography;
using AssetLedger.Domain.Common;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;

using static AssetLedger.Ledger.Tests.Devices.DeviceFixture;

namespace AssetLedger.Ledger.Tests.Devices;

/// <summary>
/// What a court's verifier asks of a device's logged history (issue 18): each reading signed by the key the device held,
/// confirmed and not rotated away, when it was logged; the logged event says what the signed message says; each key is
/// the key its id names. A tampered reading, a swapped key and a reading under a revoked key are each caught.
/// </summary>
public sealed class logged_readings_are_checked_against_the_key_of_their_time
{
    readonly ECDsa _first = ECDsa.Create(ECCurve.NamedCurves.nistP256), _second = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    static DeviceReadingRecorded Reading(ECDsa key, long counter, int minute)
    {
        var at = T0.AddMinutes(minute);
        return new(Device, counter, at, Receipt, Weight, IdOf(key), SignedReadings.Sign(key, Device, counter, at, Receipt.ToString(), Weight), Warehouse, at.AddSeconds(1));
    }

    /// <summary>Registered, bound, confirmed, one reading; the key rotated and confirmed again, one more reading.</summary>
    List<IDeviceEvent> History() =>
    [
        new DeviceRegistered(Device, DeviceKind.Weighbridge, "tank farm 3", "Mettler", Spki(_first), IdOf(_first), Warehouse, T0),
        new DeviceBound(Device, Receipt, Warehouse, T0),
        new DeviceConfirmed(Device, IdOf(_first), Bank, T0),
        Reading(_first, 1, 1),
        new DeviceKeyRotated(Device, Spki(_second), IdOf(_second), "scheduled rotation", Warehouse, T0.AddMinutes(2)),
        new DeviceConfirmed(Device, IdOf(_second), Bank, T0.AddMinutes(2)),
        Reading(_second, 2, 3),
    ];

    static IReadOnlyList<string> Problems(IReadOnlyList<IDeviceEvent> history)
    {
        var (keys, readings) = LoggedReadings.Check(history);
        return [.. keys.Select(k => k.Problem), .. readings.Where(r => r.Problem is not null).Select(r => r.Problem!)];
    }

    [Fact]
    public void readings_signed_by_the_key_of_their_time_hold_across_a_rotation()
    {
        var (keys, readings) = LoggedReadings.Check(History());

        Assert.Empty(keys);
        Assert.Equal([(1L, (string?)null), (2L, null)], readings.Select(r => (r.Counter, r.Problem)));
    }

    [Fact]
    public void a_tampered_reading_fails_its_signature()
    {
        var history = History();
        var bytes = Convert.FromBase64String(((DeviceReadingRecorded)history[6]).Message);
        bytes[^10] ^= 1;
        history[6] = (DeviceReadingRecorded)history[6] with { Message = Convert.ToBase64String(bytes) };

        Assert.Contains("signature does not hold", Assert.Single(Problems(history)));
    }

    [Fact]
    public void a_logged_reading_that_says_other_than_its_signed_message_fails()
    {
        var history = History();
        history[3] = (DeviceReadingRecorded)history[3] with { Measurements = new Measurements { Weight = "1300", Unit = "bbl" } };

        Assert.Contains("is not what its signed message says", Assert.Single(Problems(history)));
    }

    [Fact]
    public void a_swapped_key_fails_its_id_and_the_readings_signed_under_the_real_one()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var history = History();
        history[0] = (DeviceRegistered)history[0] with { PublicKeySpki = Spki(stranger) };

        var problems = Problems(history);

        Assert.Equal(2, problems.Count);
        Assert.Contains(", not its id ", problems[0]);
        Assert.Contains("signature does not hold", problems[1]);
    }

    [Fact]
    public void a_reading_signed_by_a_revoked_key_fails_even_with_a_good_signature()
    {
        var history = History();
        history.Add(Reading(_first, 3, 4));

        Assert.Contains("revoked", Assert.Single(Problems(history)));
    }

    [Fact]
    public void a_reading_under_a_key_nobody_confirmed_yet_fails()
    {
        var history = History();
        history.RemoveAt(5);

        Assert.Contains("reading.unconfirmed_key", Assert.Single(Problems(history)));
    }

    [Fact]
    public void a_replayed_counter_fails()
    {
        var history = History();
        history.Add(Reading(_second, 2, 5));

        Assert.Contains("reading.replayed", Assert.Single(Problems(history)));
    }
}
