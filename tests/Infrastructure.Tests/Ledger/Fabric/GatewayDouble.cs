using System.Diagnostics;
using System.Text.Json;

namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>chain/fabric/compat/gateway-double.js as a child process: a Gateway service running the real chaincode.</summary>
public sealed class GatewayDouble : IAsyncDisposable
{
    readonly Process _process;
    readonly string _config;

    GatewayDouble(Process process, string config, int port) => (_process, _config, Port) = (process, config, port);

    public int Port { get; }

    public static async Task<GatewayDouble> Start(string? tlsCertPem, string? tlsKeyPem, string? stateFile = null, int port = 0)
    {
        var folder = NodeTools.FabricFolder("compat");
        NodeTools.RequireInstalled(folder);
        NodeTools.RequireInstalled(NodeTools.FabricFolder("chaincode"));
        var config = Path.Combine(Path.GetTempPath(), $"gateway-double-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            tls = tlsCertPem is null ? null : new { certPem = tlsCertPem, keyPem = tlsKeyPem },
            channel = "mychannel", chaincode = "checkpoint-anchor", stateFile, port,
        }));
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("gateway-double.js");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            lock (stderr) throw new InvalidOperationException($"gateway-double did not start: {line} {stderr}");
        }
        return new GatewayDouble(process, config, int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>How many requests of each kind it served, its block height and its keys.</summary>
    public async Task<JsonElement> Stats()
    {
        await _process.StandardInput.WriteLineAsync("stats");
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return JsonDocument.Parse(line!).RootElement.Clone();
    }

    /// <summary>Ends it at once, as a crashed peer.</summary>
    public async Task Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (TimeoutException) { await Kill(); }
        }
        _process.Dispose();
        File.Delete(_config);
    }
}
