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

    /// <summary>The cluster's data directory (made by <see cref="Create"/>, or by a restore into an <see cref="Empty"/> cluster).</summary>
    public string DataDirectory => Path.Combine(_dir, "data");

    /// <summary>A new cluster, started; <paramref name="prepare"/> runs on its data directory before the first start.</summary>
    public static async Task<ThrowawayCluster> Create(Action<string>? prepare = null)
    {
        var cluster = Empty();
        await Task.Run(() => PostgresTools.Wait(PostgresTools.Start("initdb",
            ["-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"], asPostgres: true)));
        prepare?.Invoke(cluster.DataDirectory);
        await cluster.Start();
        return cluster;
    }

    /// <summary>A port and a directory without a data directory yet (a restore makes it); <see cref="Start"/> it then.</summary>
    public static ThrowawayCluster Empty()
    {
        var cluster = new ThrowawayCluster();
        Directory.CreateDirectory(cluster._dir);
        if (Environment.UserName == "root") PostgresTools.Run("chown", ["postgres:postgres", cluster._dir]);
        return cluster;
    }

    public Task Start() => Task.Run(() => PostgresTools.Wait(PostgresTools.Start("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "postgres.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", "start"], asPostgres: true)));

    /// <summary>A standby of <paramref name="primary"/> (pg_basebackup -R), started: it streams the primary's WAL.</summary>
    public static async Task<ThrowawayCluster> StandbyOf(ThrowawayCluster primary)
    {
        var standby = Empty();
        await Task.Run(() => PostgresTools.Wait(PostgresTools.Start("pg_basebackup",
            ["-h", "127.0.0.1", "-p", primary.Port.ToString(), "-U", "postgres", "-D", standby.DataDirectory, "-R", "-X", "stream", "-c", "fast"], asPostgres: true)));
        await standby.Start();
        return standby;
    }

    /// <summary>A standby becomes a primary (what a failover manager does once the primary is lost).</summary>
    public Task Promote() => Task.Run(() => PostgresTools.Wait(PostgresTools.Start("pg_ctl", ["-D", DataDirectory, "-w", "promote"], asPostgres: true)));

    /// <summary>As a crash: no shutdown checkpoint, every session cut off at once.</summary>
    public Task StopImmediately() => Task.Run(() => PostgresTools.Wait(PostgresTools.Start("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], asPostgres: true)));

    public async ValueTask DisposeAsync()
    {
        try { await Task.Run(() => PostgresTools.Wait(PostgresTools.Start("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], asPostgres: true))); }
        catch (InvalidOperationException) { } // already stopped
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
