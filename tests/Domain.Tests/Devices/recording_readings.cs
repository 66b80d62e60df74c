using System.Security.Cryptography;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;
using static AssetLedger.Domain.Tests.Devices.DeviceSpec;

namespace AssetLedger.Domain.Tests.Devices;

/// <summary>
/// The tamper corpus, first half: what the device rules refuse once a signature holds (the Ledger's half, a bad
/// signature, a detached payload, an edited body, is in <see cref="reading_messages"/>). Every refusal names its reading.
/// </summary>
public class recording_readings
{
    static readonly Measurements Weight = new() { Weight = "1200.5", Unit = "t" };

    static Reading R(long counter, string? asset = null, DateTimeOffset? at = null, string key = "", string device = "wb-1", Measurements? m = null) =>
        new(device, counter, at ?? T0.AddSeconds(-5), asset ?? Receipt.ToString(), m ?? Weight, key is "" ? KeyA : key, "msg");

    static ReadingsDecision Record(DeviceState s, params Reading[] readings) =>
        DeviceDecider.Readings(s, new RecordReadings("wb-1", readings, new Dictionary<string, AssetId> { ["R-1"] = Receipt }, Venue, T0));

    static readonly DeviceState Watching = Device(Added(), Watches, Vouched);

    static void Refused(ReadingsDecision d, int index, string code) =>
        Assert.Contains(d.Refused, r => r.Index == index && r.Error.Code == code);

    [Fact]
    public void readings_in_order_are_each_recorded()
    {
        var d = Record(Watching, R(1), R(2), R(7, asset: "R-1"));
        Assert.Empty(d.Refused);
        // One event for the delivery, however many readings it carries.
        var batch = Assert.IsType<DeviceReadingsRecorded>(Assert.Single(d.Events));
        Assert.Equal([1L, 2, 7], batch.Readings.Select(e => e.Counter));
        Assert.All(batch.Readings, e => Assert.Equal(Receipt, e.Asset));
    }

    [Fact]
    public void a_repeated_or_backward_counter_is_refused_and_the_rest_still_count()
    {
        var d = Record(Watching with { LastCounter = 10 }, R(10), R(11), R(11), R(9), R(12));
        Refused(d, 0, "reading.replayed"); Refused(d, 2, "reading.replayed"); Refused(d, 3, "reading.replayed");
        Assert.Equal([11L, 12], d.Accepted.Select(e => e.Counter));
    }

    [Fact]
    public void an_unconfirmed_device_records_nothing() =>
        Refused(Record(Device(Added(), Watches), R(1)), 0, "reading.unconfirmed_key");

    [Fact]
    public void a_rotated_away_key_is_revoked_and_a_stranger_key_unknown()
    {
        var rotated = Device(Added(), Watches, Vouched, new DeviceKeyRotated("wb-1", "MFkx", KeyB, "leak", Host.Id, T0),
            new DeviceConfirmed("wb-1", KeyB, Venue.Id, T0));
        var d = Record(rotated, R(1, key: KeyA), R(2, key: new string('c', 64)), R(3, key: KeyB));
        Refused(d, 0, "reading.revoked_key"); Refused(d, 1, "reading.unknown_key");
        Assert.Equal([3L], d.Accepted.Select(e => e.Counter));
    }

    [Fact]
    public void a_suspended_or_decommissioned_device_records_nothing()
    {
        Refused(Record(Device(Added(), Watches, Vouched, new DeviceSuspended("wb-1", "audit", Inspector.Id, T0)), R(1)), 0, "reading.device_inactive");
        Refused(Record(Device(Added(), Watches, Vouched, new DeviceDecommissioned("wb-1", "gone", Host.Id, T0)), R(1)), 0, "reading.device_inactive");
    }

    [Fact]
    public void a_reading_about_goods_the_device_does_not_watch_is_refused()
    {
        var d = Record(Watching, R(1, asset: Guid.CreateVersion7().ToString("N")), R(2, asset: "R-unknown"), R(3));
        Refused(d, 0, "reading.asset_not_watched"); Refused(d, 1, "reading.asset_not_watched");
        Assert.Equal([3L], d.Accepted.Select(e => e.Counter));
    }

    [Fact]
    public void a_reading_outside_the_time_window_is_refused()
    {
        var d = Record(Watching, R(1, at: T0.AddHours(-25)), R(2, at: T0.AddMinutes(3)), R(3, at: T0.AddHours(-23)));
        Refused(d, 0, "reading.outside_window"); Refused(d, 1, "reading.outside_window");
        Assert.Equal(3, Assert.Single(d.Accepted).Counter);
    }

    [Fact]
    public void a_reading_signed_for_another_device_is_refused() =>
        Refused(Record(Watching, R(1, device: "wb-2")), 0, "reading.wrong_device");

    [Fact]
    public void a_reading_that_measures_nothing_is_refused() =>
        Refused(Record(Watching, R(1, m: new Measurements())), 0, "reading.empty");

    [Fact]
    public void a_recorded_reading_moves_the_counter_on()
    {
        var d = Record(Watching, R(4));
        var after = d.Events.Aggregate(Watching, DeviceState.Evolve);
        Assert.Equal((4L, 1L), (after.LastCounter, after.Readings));
        Refused(Record(after, R(4)), 0, "reading.replayed");
    }

    [Fact]
    public void counters_stay_exact_within_a_batch_and_across_batches()
    {
        var first = Record(Watching, R(3), R(5), R(4), R(5), R(9));
        Refused(first, 2, "reading.replayed"); Refused(first, 3, "reading.replayed");
        var after = first.Events.Aggregate(Watching, DeviceState.Evolve);
        Assert.Equal((9L, 3L, 1L), (after.LastCounter, after.Readings, after.Version - Watching.Version));
        var second = Record(after, R(9), R(8), R(10));
        Refused(second, 0, "reading.replayed"); Refused(second, 1, "reading.replayed");
        Assert.Equal([10L], second.Accepted.Select(e => e.Counter));
    }

    [Fact]
    public void a_delivery_with_nothing_accepted_is_no_event() =>
        Assert.Empty(Record(Watching with { LastCounter = 5 }, R(4), R(5)).Events);
}

/// <summary>The tamper corpus, the Ledger's half: what never becomes a reading, whatever the device rules would say.</summary>
public class reading_messages
{
    static readonly ECDsa DeviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    static readonly string Spki = Convert.ToBase64String(DeviceKey.ExportSubjectPublicKeyInfo());
    static readonly Measurements Weight = new() { Weight = "1200.5", Unit = "t" };

    static string Signed(ECDsa? key = null) => SignedReadings.Sign(key ?? DeviceKey, "wb-1", 7, T0, "R-1", Weight);

    [Fact]
    public void a_signed_reading_reads_back_exactly()
    {
        var (reading, error) = SignedReadings.OpenAndVerify(Signed(), Spki);
        Assert.Null(error);
        Assert.Equal(("wb-1", 7L, T0, "R-1", Weight, SignedReadings.KeyIdOf(Spki)), (reading!.Device, reading.Counter, reading.MeasuredAt, reading.Asset, reading.Measurements, reading.KeyId));
    }

    [Fact]
    public void another_key_signature_does_not_hold()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal("reading.bad_signature", SignedReadings.OpenAndVerify(Signed(other), Spki).Error?.Code);
    }

    [Fact]
    public void no_edited_byte_of_a_message_is_ever_accepted()
    {
        var bytes = Convert.FromBase64String(Signed());
        for (var i = 0; i < bytes.Length; i++)
        {
            var edited = (byte[])bytes.Clone();
            edited[i] ^= 0x01;
            var (reading, error) = SignedReadings.OpenAndVerify(Convert.ToBase64String(edited), Spki);
            Assert.True(reading is null && error is not null, $"byte {i} flipped and the reading was still accepted");
        }
    }

    [Fact]
    public void a_detached_payload_is_refused()
    {
        var kid = System.Security.Cryptography.Cose.CoseHeaderValue.FromBytes(Convert.FromHexString(SignedReadings.KeyIdOf(Spki)!));
        var signer = new System.Security.Cryptography.Cose.CoseSigner(DeviceKey, HashAlgorithmName.SHA256,
            new System.Security.Cryptography.Cose.CoseHeaderMap { [System.Security.Cryptography.Cose.CoseHeaderLabel.KeyIdentifier] = kid });
        var detached = System.Security.Cryptography.Cose.CoseSign1Message.SignDetached(ReadingBody.Encode("wb-1", 7, T0, null, Weight), signer);
        Assert.Equal("reading.detached_payload", SignedReadings.Open(Convert.ToBase64String(detached)).Error?.Code);
    }

    [Fact]
    public void a_kid_outside_the_protected_header_is_refused()
    {
        var signer = new System.Security.Cryptography.Cose.CoseSigner(DeviceKey, HashAlgorithmName.SHA256, null,
            new System.Security.Cryptography.Cose.CoseHeaderMap { [System.Security.Cryptography.Cose.CoseHeaderLabel.KeyIdentifier] = System.Security.Cryptography.Cose.CoseHeaderValue.FromBytes([1, 2]) });
        var message = System.Security.Cryptography.Cose.CoseSign1Message.SignEmbedded(ReadingBody.Encode("wb-1", 7, T0, null, Weight), signer);
        Assert.Equal("reading.malformed", SignedReadings.Open(Convert.ToBase64String(message)).Error?.Code);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("oA==")]
    public void garbage_is_malformed(string message) =>
        Assert.Equal("reading.malformed", SignedReadings.Open(message).Error?.Code);

    [Fact]
    public void only_p256_keys_have_an_id()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Null(SignedReadings.KeyIdOf(Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo())));
        Assert.Null(SignedReadings.KeyIdOf("bm90IGEga2V5"));
        Assert.Equal(64, SignedReadings.KeyIdOf(Spki)!.Length);
    }
}
