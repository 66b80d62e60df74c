using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol from .NET (no Node, no Playwright): load a page, let it
/// render, then read what a person would see (innerText, computed styles). scripts/test.sh installs chromium where missing.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    Process? _browser;
    ClientWebSocket? _socket;
    string _profile = "";
    int _nextId;

    public static string? Executable => new[] { "chromium", "chromium-browser", "google-chrome" }
        .Select(name => Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists))
        .FirstOrDefault(p => p is not null);

    public async Task InitializeAsync()
    {
        var exe = Executable ?? throw new InvalidOperationException("chromium is not installed: scripts/test.sh installs Debian's chromium package (apt-get install chromium).");
        _profile = Directory.CreateTempSubdirectory("assetledger-chromium-").FullName;
        var psi = new ProcessStartInfo(exe,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage", $"--user-data-dir={_profile}",
            "--remote-debugging-port=0", "--remote-allow-origins=*", "about:blank",
        ]) { RedirectStandardError = true, RedirectStandardOutput = true };
        _browser = Process.Start(psi)!;
        _ = _browser.StandardError.ReadToEndAsync();
        _ = _browser.StandardOutput.ReadToEndAsync();

        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(portFile) || File.ReadAllText(portFile).Split('\n')[0].Trim().Length == 0)
        {
            if (DateTime.UtcNow > deadline || _browser.HasExited) throw new InvalidOperationException("chromium did not open its DevTools port within 30 s.");
            await Task.Delay(50);
        }
        var port = int.Parse(File.ReadAllText(portFile).Split('\n')[0].Trim());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        string? ws = null;
        while (ws is null)
        {
            var targets = JsonNode.Parse(await http.GetStringAsync("/json/list"))!.AsArray();
            ws = targets.FirstOrDefault(t => t!["type"]!.GetValue<string>() == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            if (ws is null) await Task.Delay(50);
        }
        _socket = new ClientWebSocket();
        await _socket.ConnectAsync(new Uri(ws), CancellationToken.None);
    }

    /// <summary>Opens a file in the page and waits until it has loaded and rendered.</summary>
    public async Task Open(string path)
    {
        await Call("Page.navigate", new JsonObject { ["url"] = new Uri(path).AbsoluteUri });
        for (var i = 0; i < 200 && await Evaluate("document.readyState") is not "complete"; i++) await Task.Delay(25);
        // One animation frame, so layout and styles are computed before we read them.
        await Call("Runtime.evaluate", new JsonObject { ["expression"] = "new Promise(r => requestAnimationFrame(() => r(1)))", ["awaitPromise"] = true });
    }

    /// <summary>Runs a JavaScript expression in the page and returns its value as a string (JSON.stringify it for objects).</summary>
    public async Task<string?> Evaluate(string expression)
    {
        var result = await Call("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } error) throw new InvalidOperationException($"{expression} failed in the page: {error.ToJsonString()}");
        return result["result"]!["value"]?.ToString();
    }

    async Task<JsonNode> Call(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();
        await _socket!.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var text = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                r = await _socket.ReceiveAsync(buffer, timeout.Token);
                text.Write(buffer, 0, r.Count);
            } while (!r.EndOfMessage);
            var reply = JsonNode.Parse(text.ToArray())!;
            if (reply["id"]?.GetValue<int>() != id) continue; // an event, or another call's answer
            if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
            return reply["result"]!;
        }
    }

    public async Task DisposeAsync()
    {
        if (_socket is not null)
        {
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None); } catch (WebSocketException) { }
            _socket.Dispose();
        }
        if (_browser is { HasExited: false })
        {
            _browser.Kill(entireProcessTree: true);
            await _browser.WaitForExitAsync();
        }
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }

    public static JsonArray Json(string? value) => JsonNode.Parse(value ?? "[]")!.AsArray();
}
