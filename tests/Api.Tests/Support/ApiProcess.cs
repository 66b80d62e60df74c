using System.Diagnostics;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// The API as a process of its own (the built AssetLedger.Api beside the tests) on another server's database and keys,
/// so that a test can kill it with SIGKILL mid-work, as a crash or an OOM kill would.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly List<string> _output = [];

    ApiProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static async Task<ApiProcess> Start(ApiServer primary, IReadOnlyDictionary<string, string> settings)
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AssetLedger.Api"))
        {
            WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["ConnectionStrings__AssetLedger"] = primary.ConnectionString,
                ["AssetLedger__KeyDirectory"] = primary.KeyDirectory,
                ["AssetLedger__OperatorPassword"] = ApiServer.OperatorPassword,
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            },
        };
        foreach (var (key, value) in settings) psi.Environment[key.Replace(":", "__")] = value;
        var api = new ApiProcess(Process.Start(psi)!);
        api._process.OutputDataReceived += (_, e) => api.Saw(e.Data);
        api._process.ErrorDataReceived += (_, e) => api.Saw(e.Data);
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        var started = await Task.WhenAny(api._started.Task, api._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != api._started.Task) throw new InvalidOperationException("the API process did not start: " + string.Join("\n", api.Output));
        return api;
    }

    public IReadOnlyList<string> Output { get { lock (_output) return _output.ToList(); } }

    void Saw(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (line.Contains("Application started", StringComparison.Ordinal)) _started.TrySetResult();
    }

    /// <summary>SIGKILL: no shutdown, no cleanup, whatever it was doing.</summary>
    public void Kill9()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) Kill9();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
