using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The README's promise: on a fresh machine, <c>scripts/run.sh</c> alone starts a local PostgreSQL and Mosquitto, migrates
/// and serves the API and Swagger UI on loopback; stopping it stops what it started. Played with nothing configured and an
/// empty state folder (<c>ASSETLEDGER_STATE_DIR</c>), as in a fresh checkout: a first run that broke only there (session 19:
/// the broker's port unread after its folder was written) is what this catches.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class the_readme_run_command
{
    static readonly Random Ports = new();

    [Fact]
    public async Task starts_everything_it_needs_from_nothing_serves_the_api_and_stops_what_it_started()
    {
        // PostgreSQL and Mosquitto run as their own users, who must reach their folders inside.
        var state = new DirectoryInfo(Path.Combine(Path.GetTempPath(), $"assetledger-run-{Guid.NewGuid():N}"));
        state.Create();
        Support.PostgresTools.Run("chmod", ["755", state.FullName]);
        var (apiPort, pgPort, mqttPort) = (FreePort(), FreePort(), FreePort(pairWithNext: true));
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = Support.BundleSchemaValidator.RepoRoot(), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("scripts/run.sh");
        // Nothing configured, as on a fresh machine: not the tests' database or broker.
        foreach (var name in psi.Environment.Keys.ToList())
            if (name.StartsWith("AssetLedger__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                || name.StartsWith("ASSETLEDGER_", StringComparison.Ordinal) || name.StartsWith("MQTT_", StringComparison.Ordinal))
                psi.Environment.Remove(name);
        psi.Environment["ASSETLEDGER_URL"] = $"http://127.0.0.1:{apiPort}";
        psi.Environment["ASSETLEDGER_PG_PORT"] = pgPort.ToString();
        psi.Environment["ASSETLEDGER_MQTT_PORT"] = mqttPort.ToString();
        psi.Environment["ASSETLEDGER_STATE_DIR"] = state.FullName;

        var output = new StringBuilder();
        using var run = Process.Start(psi)!;
        run.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        run.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();
        string Output() { lock (output) return output.ToString(); }
        var pgdata = Path.Combine(state.FullName, ".pgdata");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(10) };
            JsonNode? ready = null;
            for (var waited = Stopwatch.StartNew(); ready is null && waited.Elapsed < TimeSpan.FromMinutes(4);)
            {
                Assert.False(run.HasExited, $"run.sh exited with {(run.HasExited ? run.ExitCode : 0)} before the API was ready:\n{Output()}");
                try
                {
                    var r = await http.GetAsync("/health/ready");
                    if (r.StatusCode == HttpStatusCode.OK) ready = JsonNode.Parse(await r.Content.ReadAsStringAsync());
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                if (ready is null) await Task.Delay(500);
            }
            Assert.True(ready is not null, $"the API did not become ready within 4 minutes:\n{Output()}");
            Assert.Equal("ready", ready!["status"]!.GetValue<string>());
            Assert.Equal(0, ready["projectionLag"]!.GetValue<long>());

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/swagger/index.html")).StatusCode);
            var anonymous = await http.GetAsync("/api/v1/assets");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            // Migrated, the operator created with its first password in the state folder, the broker started there.
            Assert.True(File.Exists(Path.Combine(state.FullName, ".data", "keys", "operator-password")), Output());
            Assert.True(File.Exists(Path.Combine(pgdata, "postmaster.pid")), Output());
            var broker = int.Parse(File.ReadAllText(Path.Combine(state.FullName, ".mqtt", "mosquitto.pid")).Trim());
            Assert.True(Alive(broker), Output());

            // Stopping the script (as Ctrl-C or a service manager would) stops the API, then the broker and PostgreSQL.
            using (var kill = Process.Start("kill", ["-TERM", run.Id.ToString()])) await kill.WaitForExitAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60))) await run.WaitForExitAsync(timeout.Token);
            Assert.False(File.Exists(Path.Combine(pgdata, "postmaster.pid")), $"PostgreSQL still running after run.sh stopped:\n{Output()}");
            Assert.False(Alive(broker), $"Mosquitto still running after run.sh stopped:\n{Output()}");
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("/health/live"));
        }
        finally
        {
            if (!run.HasExited) run.Kill(entireProcessTree: true);
            // What a failed run may have left: the broker (a daemon, outside the script's process tree) and PostgreSQL.
            var brokerPid = Path.Combine(state.FullName, ".mqtt", "mosquitto.pid");
            if (File.Exists(brokerPid) && int.TryParse(File.ReadAllText(brokerPid).Trim(), out var left) && Alive(left))
                try { Process.GetProcessById(left).Kill(); } catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
            if (File.Exists(Path.Combine(pgdata, "postmaster.pid")))
                try { Support.PostgresTools.Wait(Support.PostgresTools.Start("pg_ctl", ["-D", pgdata, "stop", "-m", "immediate"], asPostgres: true)); }
                catch (InvalidOperationException) { }
            try { state.Delete(recursive: true); } catch (IOException) { }
        }
    }

    static bool Alive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    /// <summary>A loopback port below Linux's ephemeral range that nothing holds (and the next one too, for the broker's TLS listener).</summary>
    static int FreePort(bool pairWithNext = false)
    {
        for (var i = 0; i < 100; i++)
        {
            int port;
            lock (Ports) port = Ports.Next(20000, 31999);
            if (Free(port) && (!pairWithNext || Free(port + 1))) return port;
        }
        throw new InvalidOperationException("no free port found");
    }

    static bool Free(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }
}
