using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// PostgreSQL's own programs, found as scripts/lib/pg.sh finds them (<c>pg_config --bindir</c>); initdb and the server
/// refuse to run as root, so as root they run as the <c>postgres</c> user (runuser), as the scripts do.
/// </summary>
public static class PostgresTools
{
    static readonly Lazy<string> BinDir = new(() => Run("pg_config", ["--bindir"]).Trim());

    public static string Program(string name) => Path.Combine(BinDir.Value, name);

    /// <summary>Starts a PostgreSQL program, as the postgres user when this process is root.</summary>
    public static ProcessStartInfo Start(string program, IEnumerable<string> args, bool asPostgres)
    {
        var root = asPostgres && Environment.UserName == "root";
        var psi = new ProcessStartInfo(root ? "runuser" : Program(program)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (root) foreach (var a in new[] { "-u", "postgres", "--", Program(program) }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    public static string Run(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Wait(psi);
    }

    public static string Wait(ProcessStartInfo psi)
    {
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} exited with {p.ExitCode}: {error.Result}");
        return output.Result;
    }

    /// <summary>A free loopback port outside Linux's ephemeral range (32768–60999), so no outgoing connection takes it meanwhile.</summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException) { }
        }
        throw new InvalidOperationException("No free port between 20000 and 32000.");
    }
}

/// <summary>
/// A PostgreSQL cluster of one test's own, which the test may stop (<c>-m immediate</c>, as a crash) and start again
/// on the same port and data, without touching the cluster scripts/test.sh started for every other test.
/// </summary>
public sealed class ThrowawayCluster : IAsyncDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "assetledger-cluster-" + Guid.NewGuid().ToString("N")[..12]);
    public int Port { get; } = PostgresTools.FreePort();
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Maximum Pool Size=50";

    public static async Task<ThrowawayCluster> Create()
    {
        var cluster = new ThrowawayCluster();
        Directory.CreateDirectory(cluster._dir);
        if (Environment.UserName == "root") PostgresTools.Run("chown", ["postgres:postgres", cluster._dir]);
        await Task.Run(() => PostgresTools.Wait(PostgresTools.Start("initdb",
            ["-D", Path.Combine(cluster._dir, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"], asPostgres: true)));
        await cluster.Start();
        return cluster;
    }

    public Task Start() => Task.Run(() => PostgresTools.Wait(PostgresTools.Start("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "postgres.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", "start"], asPostgres: true)));

    /// <summary>As a crash: no shutdown checkpoint, every session cut off at once.</summary>
    public Task StopImmediately() => Task.Run(() => PostgresTools.Wait(PostgresTools.Start("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], asPostgres: true)));

    public async ValueTask DisposeAsync()
    {
        try { await Task.Run(() => PostgresTools.Wait(PostgresTools.Start("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], asPostgres: true))); }
        catch (InvalidOperationException) { } // already stopped
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
