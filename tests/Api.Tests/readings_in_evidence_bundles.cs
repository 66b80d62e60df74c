using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Ledger.Evidence;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.DeviceScenario;
using static AssetLedger.Api.Tests.Support.Evidence;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 18: an asset's evidence bundle carries the whole streams of the devices that watched it (devices.jsonl): their
/// key history and their signed readings, each with its inclusion proof. The offline verifier checks every reading's
/// COSE_Sign1 signature against the key the device held when it was logged; a tampered reading, a swapped key and a
/// reading signed by a revoked key each fail it, even in a bundle the operator re-signed. Readings are logged a delivery
/// at a time, one event whose Merkle root the verifier recomputes: an edited root fails too.
/// </summary>
public sealed class readings_in_evidence_bundles(ApiServer api) : IClassFixture<ApiServer>, IAsyncLifetime
{
    public Task InitializeAsync() => Cast(api);
    public Task DisposeAsync() => Task.CompletedTask;

    Task<Reply> Deliver(string device, params string[] readings) => api.Post($"/api/v1/devices/{device}/readings", "wh-1", new { readings });

    /// <summary>A confirmed weighbridge's two readings, its key rotated and confirmed by the regulator, a third reading under the new key.</summary>
    async Task<(string Device, string Receipt, ECDsa Old, ECDsa Next, Dictionary<string, byte[]> Files)> WatchedReceiptsBundle()
    {
        var (device, receipt, key) = await ConfirmedWeighbridge(api);
        Assert.Equal(2, (await Ok(Deliver(device, Sign(key, device, 1, receipt), Sign(key, device, 2, receipt)))).Json["accepted"]!.AsArray().Count);
        var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await Ok(api.Post($"/api/v1/devices/{device}/key", "wh-1", new { publicKey = Spki(next), reason = "scheduled rotation" }));
        await Ok(api.Post($"/api/v1/devices/{device}/confirmations", "reg-1", new { }));
        Assert.Single((await Ok(Deliver(device, Sign(next, device, 3, receipt)))).Json["accepted"]!.AsArray());
        return (device, receipt, key, next, Files(await Bundle(api, receipt, "bank-1")));
    }

    static List<JsonNode> Lines(Dictionary<string, byte[]> files, string name) =>
        [.. Encoding.UTF8.GetString(files[name]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];

    static string MessageOf(Dictionary<string, byte[]> files, long counter) =>
        Lines(files, BundleFormat.Devices).Select(l => l["envelope"]!["data"]!).SelectMany(d => d["readings"]?.AsArray() ?? [])
            .Single(r => r!["counter"]!.GetValue<long>() == counter)!["message"]!.GetValue<string>();

    static string RootOf(Dictionary<string, byte[]> files, long counter) =>
        Lines(files, BundleFormat.Devices).Select(l => l["envelope"]!["data"]!)
            .Single(d => d["readings"]?.AsArray().Any(r => r!["counter"]!.GetValue<long>() == counter) == true)["root"]!.GetValue<string>();

    static Dictionary<string, byte[]> Replace(Dictionary<string, byte[]> files, string was, string now)
    {
        var text = Encoding.UTF8.GetString(files[BundleFormat.Devices]);
        Assert.Contains(was, text);
        return new Dictionary<string, byte[]>(files) { [BundleFormat.Devices] = Encoding.UTF8.GetBytes(text.Replace(was, now, StringComparison.Ordinal)) };
    }

    [Fact]
    public async Task an_assets_bundle_carries_its_devices_keys_and_readings_and_verifies_offline()
    {
        var (device, _, _, _, files) = await WatchedReceiptsBundle();
        var report = BundleVerifier.Verify(files);
        Assert.True(report.Ok, Describe(report));
        Assert.Equal("3 readings of 1 devices signed (COSE_Sign1, ES256) by the key each device held, confirmed and not revoked, when the reading was logged",
            report.Checks.Single(c => c.Name == "device readings").Summary);

        var lines = Lines(files, BundleFormat.Devices);
        Assert.All(lines, l => Assert.Equal($"device-{device}", l["envelope"]!["streamId"]!.GetValue<string>()));
        Assert.Equal(["device-registered", "device-bound", "device-confirmed", "device-readings-recorded", "device-key-rotated", "device-confirmed", "device-readings-recorded"],
            lines.Select(l => l["envelope"]!["type"]!.GetValue<string>()));
        // Each device event is proved like the asset's own, in the same checkpoint.
        var proved = Lines(files, BundleFormat.Proofs).Select(p => p["position"]!.GetValue<long>()).ToHashSet();
        Assert.All(lines, l => Assert.Contains(l["position"]!.GetValue<long>(), proved));
        Assert.Equal(lines.Count, JsonNode.Parse(files[BundleFormat.Manifest])!["counts"]!["deviceEvents"]!.GetValue<long>());
        var problems = BundleSchemaValidator.Problems(files);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task a_tampered_reading_fails_the_device_readings_check()
    {
        var (_, _, _, _, files) = await WatchedReceiptsBundle();
        var message = MessageOf(files, 3);
        var i = message.Length - 10;
        var tampered = message[..i] + (message[i] == 'A' ? 'B' : 'A') + message[(i + 1)..];

        var report = BundleVerifier.Verify(OperatorKeys.Resign(api, Replace(files, message, tampered)));

        Assert.Contains("device readings", FailedChecks(report));
        Assert.Contains("reading 3: the COSE_Sign1 signature does not hold", Failures(report, "device readings"));
    }

    [Fact]
    public async Task a_tampered_reading_inside_a_batch_fails_and_so_does_an_edited_batch_root()
    {
        var (_, _, _, _, files) = await WatchedReceiptsBundle();
        var message = MessageOf(files, 2);
        var i = message.Length - 10;
        var tampered = BundleVerifier.Verify(OperatorKeys.Resign(api, Replace(files, message, message[..i] + (message[i] == 'A' ? 'B' : 'A') + message[(i + 1)..])));
        Assert.Contains("reading 2: the COSE_Sign1 signature does not hold", Failures(tampered, "device readings"));

        var root = RootOf(files, 1);
        var rerooted = BundleVerifier.Verify(OperatorKeys.Resign(api, Replace(files, root, new string(root.Select(c => c == '0' ? '1' : '0').ToArray()))));
        Assert.Contains("device readings", FailedChecks(rerooted));
        Assert.Contains("reading 1: the batch's Merkle root", Failures(rerooted, "device readings"));
    }

    [Fact]
    public async Task a_swapped_key_fails_the_device_readings_check()
    {
        var (_, _, old, _, files) = await WatchedReceiptsBundle();
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var report = BundleVerifier.Verify(OperatorKeys.Resign(api, Replace(files, Spki(old), Spki(stranger))));

        Assert.Contains("device readings", FailedChecks(report));
        var failures = Failures(report, "device readings");
        Assert.Contains(", not its id ", failures);
        Assert.Contains("reading 1: the COSE_Sign1 signature does not hold", failures);
    }

    [Fact]
    public async Task a_reading_signed_by_a_revoked_key_fails_the_device_readings_check()
    {
        var (device, receipt, old, _, files) = await WatchedReceiptsBundle();
        // The same reading, signed by the key the warehouse rotated away before it was logged.
        var revoked = Sign(old, device, 3, receipt);

        var report = BundleVerifier.Verify(OperatorKeys.Resign(api, Replace(files, MessageOf(files, 3), revoked)));

        Assert.Contains("device readings", FailedChecks(report));
        Assert.Contains("reading 3: signed by key", Failures(report, "device readings"));
        Assert.Contains("revoked when the device's key was rotated", Failures(report, "device readings"));
    }
}
