using System.Globalization;
using System.Net;
using System.Text;
using AssetLedger.Ledger.Notes;
using AssetLedger.Ledger.Witness;

namespace AssetLedger.Cli.Witness;

/// <summary>
/// The witness's HTTP interface, on 127.0.0.1 only: <c>POST /add-checkpoint</c> as C2SP tlog-witness says (200 with the
/// cosignature lines; 400, 403, 404, 409 with <c>text/x.tlog.size</c>, 422), <c>GET /equivocations</c> (the equivocation
/// proofs, one JSON per line) and <c>GET /key</c> (its verifier key). It trusts one key per log origin.
/// </summary>
public sealed class WitnessServer : IAsyncDisposable
{
    const int MaxBody = 64 * 1024;
    readonly HttpListener _listener = new();
    readonly WitnessStore _store;
    readonly Cosigner _key;
    readonly IReadOnlyDictionary<string, NoteVerifier> _logs;
    readonly Func<DateTimeOffset> _now;
    readonly CancellationTokenSource _stop = new();
    Task _loop = Task.CompletedTask;

    WitnessServer(WitnessStore store, Cosigner key, IEnumerable<NoteVerifier> logs, int port, Func<DateTimeOffset>? now)
    {
        (_store, _key, _now) = (store, key, now ?? (() => DateTimeOffset.UtcNow));
        _logs = logs.ToDictionary(l => l.Name, StringComparer.Ordinal);
        Url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        _listener.Prefixes.Add(Url + "/");
    }

    public string Url { get; }
    public string VerifierKey => _key.Key.VerifierKey;

    /// <summary>Starts serving; a log's origin is its key's name (the ledger names its key after its origin).</summary>
    public static WitnessServer Start(WitnessStore store, Cosigner key, IEnumerable<NoteVerifier> logs, int port, Func<DateTimeOffset>? now = null)
    {
        var server = new WitnessServer(store, key, logs, port, now);
        server._listener.Start();
        server._loop = Task.Run(server.Loop);
        return server;
    }

    async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Handle(context));
        }
    }

    async Task Handle(HttpListenerContext context)
    {
        var (request, response) = (context.Request, context.Response);
        try
        {
            var path = request.Url?.AbsolutePath ?? "";
            if (path == "/add-checkpoint" && request.HttpMethod == "POST") await AddCheckpoint(request, response);
            else if (path == "/equivocations" && request.HttpMethod == "GET") await Text(response, 200, string.Join("", _store.Equivocations().Select(l => l + "\n")), "application/jsonl");
            else if (path == "/key" && request.HttpMethod == "GET") await Text(response, 200, VerifierKey + "\n");
            else await Text(response, 404, "not found\n");
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
        finally { try { response.Close(); } catch (ObjectDisposedException) { } }
    }

    async Task AddCheckpoint(HttpListenerRequest request, HttpListenerResponse response)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.InputStream.ReadAsync(chunk, _stop.Token)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody) { await Text(response, 400, "the body is too large\n"); return; }
        }
        string body;
        try { body = new UTF8Encoding(false, true).GetString(buffer.ToArray()); }
        catch (DecoderFallbackException) { await Text(response, 400, "the body is not UTF-8\n"); return; }
        var now = _now();
        var verdict = await _store.Submit(body, o => _logs.GetValueOrDefault(o), now, _stop.Token);
        if (verdict.Cosign)
            await Text(response, 200, Cosignature.Sign(WitnessDecision.Text(verdict.Accepted!.Note), _key, now));
        else if (verdict.Status == 409 && verdict.Equivocation is null)
            await Text(response, 409, verdict.LatestSize!.Value.ToString(CultureInfo.InvariantCulture) + "\n", "text/x.tlog.size");
        else await Text(response, verdict.Status, verdict.Message + "\n");
    }

    static async Task Text(HttpListenerResponse response, int status, string text, string type = "text/plain; charset=utf-8")
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = status;
        response.ContentType = type;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (ObjectDisposedException) { }
        _listener.Close();
        _stop.Dispose();
    }
}
