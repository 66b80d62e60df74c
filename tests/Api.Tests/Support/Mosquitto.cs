using System.Diagnostics;
using AssetLedger.Infrastructure.Devices;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// A real Mosquitto (scripts/lib/mqtt.sh): the one scripts/test.sh starts for the run (ASSETLEDGER_TEST_MQTT names its
/// folder), or one of a test's own that the test may stop and start again.
/// </summary>
public sealed class Mosquitto : IAsyncDisposable
{
    readonly bool _own;
    readonly Dictionary<string, string> _env;

    Mosquitto(string directory, bool own)
    {
        Directory = directory;
        _own = own;
        _env = File.ReadAllLines(Path.Combine(directory, "broker.env")).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
    }

    public string Directory { get; }
    public string Url => _env["MQTT_URL"];
    public string DevicesUser => _env["MQTT_DEVICES_USER"];
    public string DevicesPassword => _env["MQTT_DEVICES_PASSWORD"];

    public static Mosquitto Shared() => new(Environment.GetEnvironmentVariable("ASSETLEDGER_TEST_MQTT")
        ?? throw new InvalidOperationException("ASSETLEDGER_TEST_MQTT is not set: run the tests with scripts/test.sh, which starts Mosquitto."), own: false);

    /// <summary>A broker of the test's own, in a folder of its own, on a free port.</summary>
    public static async Task<Mosquitto> StartOwn()
    {
        var dir = Path.Combine(Path.GetTempPath(), "assetledger-test-mqtt-" + Guid.NewGuid().ToString("N")[..12]);
        await Script($"mqtt_start_free '{dir}'");
        return new Mosquitto(dir, own: true);
    }

    /// <summary>A clean stop (SIGTERM): the broker saves its sessions and queued messages first.</summary>
    public Task Stop() => Script($"mqtt_stop '{Directory}'");

    public Task Start() => Script($"mqtt_start '{Directory}'");

    /// <summary>The service's settings to subscribe as <paramref name="clientId"/> in <paramref name="group"/> (one group per database: groups on one broker each get every reading).</summary>
    public Dictionary<string, string> ServiceSettings(string clientId, string group) => new()
    {
        ["AssetLedger:Mqtt:Url"] = Url,
        ["AssetLedger:Mqtt:Username"] = _env["MQTT_REGISTRY_USER"],
        ["AssetLedger:Mqtt:Password"] = _env["MQTT_REGISTRY_PASSWORD"],
        ["AssetLedger:Mqtt:ClientId"] = clientId,
        ["AssetLedger:Mqtt:SharedGroup"] = group,
    };

    /// <summary>The TLS listener (client certificates required), <c>mqtts://127.0.0.1:port</c>.</summary>
    public string TlsUrl => _env["MQTT_TLS_URL"];
    /// <summary>The broker's own CA (PEM), which signed its server certificate and the clients' certificates.</summary>
    public string CaFile => _env["MQTT_CA_FILE"];

    /// <summary>The service's settings to subscribe over TLS, presenting the registry's client certificate instead of a password.</summary>
    public Dictionary<string, string> ServiceSettingsOverTls(string clientId, string group) => new()
    {
        ["AssetLedger:Mqtt:Url"] = TlsUrl,
        ["AssetLedger:Mqtt:CaFile"] = CaFile,
        ["AssetLedger:Mqtt:CertificateFile"] = _env["MQTT_REGISTRY_CERT_FILE"],
        ["AssetLedger:Mqtt:KeyFile"] = _env["MQTT_REGISTRY_KEY_FILE"],
        ["AssetLedger:Mqtt:ClientId"] = clientId,
        ["AssetLedger:Mqtt:SharedGroup"] = group,
    };

    /// <summary>A client over TLS presenting the certificate <c>tls/{certificate}.crt</c> (devices, registry or stranger), no password.</summary>
    public Task<ReadingPublisher> PublisherOverTls(string certificate) =>
        ReadingPublisher.Connect(TlsUrl, null, null, "test-tls-" + Guid.NewGuid().ToString("N")[..8], CancellationToken.None,
            new MqttTls(CaFile, Path.Combine(Directory, "tls", certificate + ".crt"), Path.Combine(Directory, "tls", certificate + ".key")));

    /// <summary>A device-side client, as the `devices` user.</summary>
    public Task<ReadingPublisher> Publisher() =>
        ReadingPublisher.Connect(Url, DevicesUser, DevicesPassword, "test-publisher-" + Guid.NewGuid().ToString("N")[..8], CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (!_own) return;
        await Stop();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static async Task Script(string command)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "AssetLedger.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("AssetLedger.sln not found");
        var psi = new ProcessStartInfo("bash", ["-c", $". scripts/lib/pg.sh && . scripts/lib/mqtt.sh && mqtt_install && {command}"])
            { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{command} failed: {await output}{await error}");
    }
}
