using System.Diagnostics;

namespace AssetLedger.Infrastructure.Tests.Ledger.Fabric;

/// <summary>Runs Node scripts of chain/fabric for the Fabric tests (scripts/test.sh runs npm ci there first).</summary>
public static class NodeTools
{
    public static string RepositoryRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "AssetLedger.sln"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException("AssetLedger.sln not found above the test binaries.");
        }
    }

    public static string FabricFolder(string name) => Path.Combine(RepositoryRoot, "chain", "fabric", name);

    /// <summary>Fails with what to do when a folder's node_modules is missing.</summary>
    public static void RequireInstalled(string folder)
    {
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
            throw new InvalidOperationException($"{folder}/node_modules is missing: run `npm ci` there (scripts/test.sh does).");
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> Run(string workingDirectory, string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
