using System.Text.Json.Nodes;
using AssetLedger.Api.Tests.Support;
using AssetLedger.Cli;
using AssetLedger.Infrastructure.Tests.Support;
using static AssetLedger.Api.Tests.Support.AssetScenario;
using static AssetLedger.Api.Tests.Support.DeviceScenario;

namespace AssetLedger.Api.Tests;

/// <summary>
/// Issue 18, the device simulator (<c>assetledger devices simulate</c>) against a running registry: it registers, binds
/// and confirms its devices over the API as the users it is given, then sends real signed readings over HTTP or MQTT,
/// with the anomalies asked for. (Here rather than in Cli.Tests: the simulator needs the API, which this project runs.)
/// </summary>
public sealed class simulating_devices(MqttApi fixture) : IClassFixture<MqttApi>
{
    readonly ApiServer api = fixture.Api;

    async Task<JsonNode> Simulate(params string[] args)
    {
        await api.Token("wh-1");
        await api.Token("reg-1");
        var receipt = await Active(api);
        var json = Path.Combine(Path.GetTempPath(), $"simulation-{Guid.NewGuid():N}.json");
        try
        {
            var exit = await CliApp.Create().Parse(["devices", "simulate", "--api", api.BaseAddress.ToString(), "--asset", receipt,
                "--warehouse", $"{ApiServer.LoginOf("wh-1")}:{ApiServer.UserPassword}", "--confirmer", $"{ApiServer.LoginOf("reg-1")}:{ApiServer.UserPassword}",
                "--rate", "0", "--json", json, .. args]).InvokeAsync();
            Assert.Equal(0, exit);
            return JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        }
        finally { File.Delete(json); }
    }

    static string Streams(JsonNode outcome) => string.Join(",", outcome["deviceIds"]!.AsArray().Select(d => $"'device-{d!.GetValue<string>()}'"));

    [Fact]
    public async Task over_http_a_replay_and_a_forged_signature_are_refused_and_every_true_reading_is_logged()
    {
        var outcome = await Simulate("--http", "--devices", "3", "--readings", "6", "--anomaly", "replay,forged-signature");
        Assert.Equal(20, outcome["published"]!.GetValue<long>());
        Assert.Equal(18, outcome["accepted"]!.GetValue<long>());
        Assert.Equal(1, outcome["refusedBy"]!["reading.replayed"]!.GetValue<long>());
        Assert.Equal(1, outcome["refusedBy"]!["reading.unknown_key"]!.GetValue<long>());
        Assert.Equal(18, await api.Scalar($"SELECT count(*) {Readings} AND e.stream_id IN ({Streams(outcome)})"));
        Assert.Equal(3, await api.Scalar($"SELECT count(*) FROM events WHERE stream_id IN ({Streams(outcome)}) AND type = 'device-confirmed'"));
    }

    [Fact]
    public async Task over_mqtt_a_gate_out_and_a_short_weight_reach_the_log_as_signed_readings()
    {
        var outcome = await Simulate("--mqtt", fixture.Broker.Url, "--mqtt-user", fixture.Broker.DevicesUser, "--mqtt-password", fixture.Broker.DevicesPassword,
            "--devices", "2", "--readings", "6", "--anomaly", "short-weight", "--anomaly", "gate-out");
        Assert.Equal(12, outcome["acknowledged"]!.GetValue<long>());
        var first = $"device-{outcome["deviceIds"]![0]!.GetValue<string>()}";
        await Eventually.WaitUntil(async () => await api.Scalar($"SELECT count(*) {Readings} AND e.stream_id IN ({Streams(outcome)})") == 12, "twelve readings logged");
        // Halfway (reading 3) goods leave through the first device's gate; after it, it weighs 80 % of the receipt's 1200.5 bbl.
        Assert.Equal("Out", await api.Text($"SELECT r.reading->'measurements'->>'gate' {Readings} AND e.stream_id = '{first}' AND (r.reading->>'counter')::int = 3"));
        Assert.Equal("960.40", await api.Text($"SELECT r.reading->'measurements'->>'weight' {Readings} AND e.stream_id = '{first}' AND (r.reading->>'counter')::int = 6"));
        Assert.Equal("1200.5", await api.Text($"SELECT r.reading->'measurements'->>'weight' {Readings} AND e.stream_id = '{first}' AND (r.reading->>'counter')::int = 2"));
    }

    [Fact]
    public async Task a_silent_device_stops_halfway_while_the_others_go_on()
    {
        var outcome = await Simulate("--http", "--devices", "2", "--readings", "6", "--anomaly", "silence");
        var first = $"device-{outcome["deviceIds"]![0]!.GetValue<string>()}";
        Assert.Equal(2, await api.Scalar($"SELECT count(*) {Readings} AND e.stream_id = '{first}'"));
        Assert.Equal(8, outcome["accepted"]!.GetValue<long>());
    }
}
