using System.Net;
using System.Security.Cryptography;
using AssetLedger.Domain.Devices;
using AssetLedger.Ledger.Devices;
using static AssetLedger.Api.Tests.Support.AssetScenario;

namespace AssetLedger.Api.Tests.Support;

/// <summary>Devices in known states, set up over the API (AssetScenario's cast): a weighbridge of wh-1 watching a receipt out with bank-1.</summary>
public static class DeviceScenario
{
    public static readonly Measurements Weight = new() { Weight = "1200.5", Unit = "bbl" };

    public static string Spki(ECDsa key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    /// <summary>A weighbridge hosted by wh-1, bound to an active receipt that is out with bank-1, confirmed by bank-1.</summary>
    public static async Task<(string Device, string Receipt, ECDsa Key)> ConfirmedWeighbridge(ApiServer api)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var device = $"wb-{Guid.NewGuid():N}"[..20];
        var receipt = await Active(api);
        var created = await api.Post("/api/v1/devices", "wh-1", new { id = device, kind = "Weighbridge", site = "tank farm 3", make = "Mettler", publicKey = Spki(key) });
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        await Ok(api.Post($"/api/v1/devices/{device}/bindings", "wh-1", new { assetId = receipt }));
        await Ok(api.Post($"/api/v1/assets/{receipt}/transfer-out", "owner-a", new { venueId = "bank-1", purpose = "Financing" }));
        await Ok(api.Post($"/api/v1/devices/{device}/confirmations", "bank-1", new { }));
        return (device, receipt, key);
    }

    /// <summary>A reading of the device's weight, signed a second ago unless <paramref name="at"/> says otherwise.</summary>
    public static string Sign(ECDsa key, string device, long counter, string? asset, DateTimeOffset? at = null) =>
        SignedReadings.Sign(key, device, counter, at ?? DateTimeOffset.UtcNow.AddSeconds(-1), asset, Weight);

    /// <summary>
    /// The logged readings, one row each (<c>r.reading</c> its JSON, <c>r.leaf</c> its place from 1, <c>e</c> the batch
    /// event): SQL to follow <c>SELECT … </c> and precede more <c>AND</c> conditions.
    /// </summary>
    public const string Readings = "FROM events e, jsonb_array_elements(e.data->'readings') WITH ORDINALITY AS r(reading, leaf) WHERE e.type = 'device-readings-recorded'";

    /// <summary>How many readings of the device the log holds.</summary>
    public static Task<long> Logged(ApiServer api, string device) =>
        api.Scalar($"SELECT count(*) {Readings} AND e.stream_id = 'device-{device}'");

    /// <summary>The logged readings' counters, in log order (a repeat would show twice).</summary>
    public static async Task<IReadOnlyList<long>> Counters(ApiServer api, string device) =>
        (await api.Text($"SELECT coalesce(string_agg(r.reading->>'counter', ',' ORDER BY e.version, r.leaf), '') {Readings} AND e.stream_id = 'device-{device}'"))
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();
}
