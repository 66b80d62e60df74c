using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using AssetLedger.Cli.Simulation;
using AssetLedger.Infrastructure.Devices;
using Spectre.Console;

namespace AssetLedger.Cli.Commands;

/// <summary>
/// <c>assetledger devices simulate</c>: simulated weighbridges against a running registry, over its API (registration,
/// binding, confirmation) and its broker (readings), or over HTTP with <c>--http</c>. docs/devices.md describes the wire.
/// </summary>
public static class DevicesCommand
{
    public static Command Create() => new("devices", "IoT devices: simulate them against a running registry.") { Simulate() };

    static Command Simulate()
    {
        var api = new Option<string>("--api") { Description = "The registry's API.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var warehouse = new Option<string>("--warehouse") { Description = "login:password of a warehouse user: it registers and binds the devices and hosts them.", Required = true };
        var confirmer = new Option<string>("--confirmer") { Description = "login:password of a regulator's user (or the venue holding the receipts) who confirms each device.", Required = true };
        var assets = new Option<string[]>("--asset") { Description = "Receipts (32-hex ids) the devices watch, spread round-robin (default: the warehouse's active receipts).", AllowMultipleArgumentsPerToken = true };
        var devices = new Option<int>("--devices", "-n") { Description = "How many devices.", DefaultValueFactory = _ => 10 };
        var readings = new Option<int>("--readings") { Description = "Readings per device.", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate") { Description = "Readings per second per device (0: as fast as the registry takes them).", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch") { Description = "Readings per message (MQTT payload or HTTP request).", DefaultValueFactory = _ => 1 };
        var anomaly = new Option<Anomaly[]>("--anomaly") { Description = "Inject on the first device, halfway: short-weight, gate-out, silence, replay, forged-signature.", AllowMultipleArgumentsPerToken = true, CustomParser = ParseAnomalies };
        var http = new Option<bool>("--http") { Description = "Deliver the readings over HTTP (POST /api/v1/devices/{id}/readings) instead of MQTT." };
        var mqtt = new Option<string?>("--mqtt") { Description = "The broker, mqtt://host:port (default: ASSETLEDGER_MQTT_URL, or .mqtt/broker.env from scripts/run.sh)." };
        var mqttUser = new Option<string?>("--mqtt-user") { Description = "The broker user devices publish as (default: ASSETLEDGER_MQTT_USER, or .mqtt/broker.env)." };
        var mqttPassword = new Option<string?>("--mqtt-password") { Description = "Its password (default: ASSETLEDGER_MQTT_PASSWORD, or .mqtt/broker.env)." };
        var json = new Option<string?>("--json") { Description = "Also write the outcome to this file as JSON (for scripts and benchmarks)." };
        var command = new Command("simulate", "Register, bind and confirm simulated weighbridges, then publish their signed readings, injecting anomalies on demand.")
            { api, warehouse, confirmer, assets, devices, readings, rate, batch, anomaly, http, mqtt, mqttUser, mqttPassword, json };
        command.SetAction(async (parse, ct) =>
        {
            var plan = new SimulationPlan(parse.GetValue(devices), parse.GetValue(readings), parse.GetValue(rate), Math.Max(1, parse.GetValue(batch)),
                parse.GetValue(anomaly) ?? [], parse.GetValue(http));
            if (plan.Devices < 1 || plan.Readings < 1 || plan.Batch > 500)
            {
                AnsiConsole.MarkupLine("[red]error:[/] --devices and --readings must be at least 1, --batch at most 500.");
                return ExitCodes.Usage;
            }
            var broker = Broker(parse.GetValue(mqtt), parse.GetValue(mqttUser), parse.GetValue(mqttPassword));
            if (!plan.OverHttp && broker.Url is null)
            {
                AnsiConsole.MarkupLine("[red]error:[/] no broker: pass --mqtt (or set ASSETLEDGER_MQTT_URL), or deliver over HTTP with --http.");
                return ExitCodes.Usage;
            }
            try
            {
                return await Run(parse.GetValue(api)!, Credentials(parse.GetValue(warehouse)!), Credentials(parse.GetValue(confirmer)!), parse.GetValue(assets) ?? [],
                    plan, broker, parse.GetValue(json), ct);
            }
            catch (Exception e) when (e is SimulationException or HttpRequestException or MQTTnet.Exceptions.MqttCommunicationException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    static async Task<int> Run(string apiUrl, (string Login, string Password) wh, (string Login, string Password) conf, IReadOnlyList<string> given,
        SimulationPlan plan, (string? Url, string? User, string? Password) broker, string? json, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(apiUrl), Timeout = TimeSpan.FromSeconds(60) };
        var warehouse = await RegistryClient.Login(http, wh.Login, wh.Password, ct);
        var confirmer = await RegistryClient.Login(http, conf.Login, conf.Password, ct);
        var assets = given.Count > 0 ? given : await warehouse.HeldReceipts(ct);
        if (assets.Count == 0) throw new SimulationException($"{warehouse.Participant} holds no active receipt to watch: pass --asset.");
        var simulator = new DeviceSimulator(warehouse, confirmer, assets);

        var publishers = new List<ReadingPublisher>();
        try
        {
            if (!plan.OverHttp)
                for (var i = 0; i < Math.Min(4, plan.Devices); i++)
                    publishers.Add(await ReadingPublisher.Connect(broker.Url!, broker.User, broker.Password, $"assetledger-sim-{Guid.NewGuid():N}"[..28], ct));
            Func<string, IReadOnlyList<string>, CancellationToken, Task<Delivered>> send = plan.OverHttp
                ? (device, batch, c) => OverHttp(warehouse, device, batch, c)
                : async (device, batch, c) =>
                {
                    // A device keeps to one connection, as a real one does: MQTT keeps a topic's order per publishing connection only.
                    var publisher = publishers[(int)((uint)StringComparer.Ordinal.GetHashCode(device) % publishers.Count)];
                    return new Delivered(await publisher.Publish(device, batch, c) ? batch.Count : 0, 0, []);
                };
            SimulationResult result = null!;
            var display = AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn());
            await display.StartAsync(async ctx =>
            {
                var registering = ctx.AddTask($"Registering {plan.Devices:N0} devices", maxValue: plan.Devices);
                await simulator.Register(plan.Devices, () => registering.Increment(1), ct);
                var sending = ctx.AddTask($"Readings {(plan.OverHttp ? "over HTTP" : "to " + broker.Url)}", maxValue: (double)plan.Devices * plan.Readings);
                result = await simulator.Run(plan, send, n => { lock (sending) sending.Increment(n); }, ct);
            });
            Report(result, plan, json);
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var p in publishers) await p.DisposeAsync();
        }
    }

    static async Task<Delivered> OverHttp(RegistryClient host, string device, IReadOnlyList<string> batch, CancellationToken ct)
    {
        var answer = await host.Post($"/api/v1/devices/{device}/readings", new { readings = batch }, ct);
        var refused = answer["refused"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()).ToList();
        return new Delivered(batch.Count, answer["accepted"]!.AsArray().Count, refused);
    }

    static void Report(SimulationResult r, SimulationPlan plan, string? json)
    {
        if (json is not null)
        {
            File.WriteAllText(json, JsonSerializer.Serialize(new
            {
                transport = plan.OverHttp ? "http" : "mqtt", devices = r.Devices, published = r.Published, acknowledged = r.Acknowledged, accepted = r.Accepted,
                refused = r.Refused, refusedBy = r.RefusedBy, injected = r.Injected, seconds = Math.Round(r.Elapsed.TotalSeconds, 3), perSecond = Math.Round(r.PerSecond), deviceIds = r.DeviceIds,
            }));
        }
        var table = new Table().AddColumns("", "");
        table.AddRow("devices", $"{r.Devices:N0}");
        table.AddRow("readings sent", $"{r.Published:N0} in {r.Elapsed.TotalSeconds:N1} s ({r.PerSecond:N0}/s)");
        if (plan.OverHttp) table.AddRow("accepted / refused", $"{r.Accepted:N0} / {r.Refused:N0} {string.Join(", ", r.RefusedBy.Select(kv => $"{kv.Key}: {kv.Value}"))}");
        else table.AddRow("acknowledged by the broker", $"{r.Acknowledged:N0} (the registry's verdicts: GET /api/v1/devices/{{id}})");
        foreach (var what in r.Injected) table.AddRow("injected", Markup.Escape(what));
        AnsiConsole.Write(table);
    }

    static (string Login, string Password) Credentials(string value) =>
        value.IndexOf(':') is var i and > 0 ? (value[..i], value[(i + 1)..]) : throw new SimulationException($"'{value}' is not login:password.");

    /// <summary>The broker and the devices' user: options, then ASSETLEDGER_MQTT_*, then scripts/run.sh's .mqtt/broker.env.</summary>
    static (string? Url, string? User, string? Password) Broker(string? url, string? user, string? password)
    {
        var env = File.Exists(".mqtt/broker.env")
            ? File.ReadAllLines(".mqtt/broker.env").Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
            : [];
        return (url ?? Environment.GetEnvironmentVariable("ASSETLEDGER_MQTT_URL") ?? env.GetValueOrDefault("MQTT_URL"),
            user ?? Environment.GetEnvironmentVariable("ASSETLEDGER_MQTT_USER") ?? env.GetValueOrDefault("MQTT_DEVICES_USER"),
            password ?? Environment.GetEnvironmentVariable("ASSETLEDGER_MQTT_PASSWORD") ?? env.GetValueOrDefault("MQTT_DEVICES_PASSWORD"));
    }

    static Anomaly[] ParseAnomalies(System.CommandLine.Parsing.ArgumentResult result)
    {
        var list = new List<Anomaly>();
        foreach (var token in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (Enum.TryParse<Anomaly>(token.Replace("-", ""), ignoreCase: true, out var a)) list.Add(a);
            else result.AddError($"Unknown anomaly '{token}': short-weight, gate-out, silence, replay or forged-signature.");
        }
        return [.. list];
    }
}
