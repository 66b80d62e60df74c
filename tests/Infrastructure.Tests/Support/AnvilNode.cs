using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace AssetLedger.Infrastructure.Tests.Support;

/// <summary>
/// A real local EVM node: the Anvil binary that npm installs into chain/evm/node_modules (scripts/test.sh runs
/// <c>npm ci</c> there), on a free loopback port. It can be stopped mid-run and started again on the same port;
/// with <c>persistState</c> it dumps its chain to a file on SIGTERM and loads it on start (as a real node keeps
/// its blocks on disk).
/// </summary>
public sealed class AnvilNode : IAsyncDisposable
{
    /// <summary>Anvil's first development account (its well-known test key; funded on every fresh Anvil chain).</summary>
    public const string DevPrivateKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    public const long ChainId = 31337;

    readonly string _directory = Path.Combine(Path.GetTempPath(), "assetledger-anvil-" + Guid.NewGuid().ToString("N"));
    readonly bool _persistState;
    readonly int? _blockTime;
    Process? _process;

    AnvilNode(int port, bool persistState, int? blockTime) => (Port, _persistState, _blockTime) = (port, persistState, blockTime);

    public int Port { get; }
    public string RpcUrl => $"http://127.0.0.1:{Port}";
    public string StateFile => Path.Combine(_directory, "state.json");

    /// <summary>A file holding <see cref="DevPrivateKey"/>, as an operator would configure one.</summary>
    public string PrivateKeyFile { get; private set; } = "";

    public static async Task<AnvilNode> Start(bool persistState = false, int? blockTime = null)
    {
        var node = new AnvilNode(FreePort(), persistState, blockTime);
        Directory.CreateDirectory(node._directory);
        node.PrivateKeyFile = Path.Combine(node._directory, "evm.key");
        await File.WriteAllTextAsync(node.PrivateKeyFile, "0x" + DevPrivateKey + "\n");
        await node.StartProcess();
        return node;
    }

    /// <summary>The anvil binary: ASSETLEDGER_ANVIL, or chain/evm/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil.</summary>
    public static string Binary()
    {
        if (Environment.GetEnvironmentVariable("ASSETLEDGER_ANVIL") is { Length: > 0 } configured) return configured;
        var path = Path.Combine(RepositoryRoot(), "chain", "evm", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
        return File.Exists(path) ? path
            : throw new InvalidOperationException($"Anvil is not installed at {path}: run scripts/test.sh (it runs 'npm ci' in chain/evm) or set ASSETLEDGER_ANVIL.");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AssetLedger.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (AssetLedger.sln) above " + AppContext.BaseDirectory);
    }

    async Task StartProcess()
    {
        var args = new StringBuilder($"--host 127.0.0.1 --port {Port} --chain-id {ChainId} --silent");
        if (_persistState) args.Append($" --state {StateFile}");
        if (_blockTime is { } seconds) args.Append($" --block-time {seconds}");
        _process = Process.Start(new ProcessStartInfo(Binary(), args.ToString()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start anvil.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"anvil exited with {_process.ExitCode} on start.");
            try
            {
                using var reply = await http.PostAsync(RpcUrl, new StringContent("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""", Encoding.UTF8, "application/json"));
                if (reply.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"anvil did not answer on {RpcUrl} within 30 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the node with SIGTERM (it dumps its state first when persisting) and waits for it to exit.</summary>
    public async Task Stop()
    {
        if (_process is null) return;
        if (!_process.HasExited) _ = Kill(_process.Id, 15);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await _process.WaitForExitAsync(wait.Token); }
        catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the node again on the same port (and state file).</summary>
    public Task Restart() => _process is null ? StartProcess() : throw new InvalidOperationException("Stop the node first.");

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
        _process?.Dispose();
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }

    /// <summary>A loopback port nothing listens on (for a target that is down).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);
}
