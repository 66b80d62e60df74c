using System.Net.Sockets;
using System.Text;

namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// HTTP/1.1 over a bare socket, one request per connection: what a fuzzer needs and HttpClient refuses to send
/// (invalid UTF-8 in a header, a lone surrogate's bytes, a 100,000-character request line).
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, string? ContentType, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
        public override string ToString() => $"{Status} {ContentType} {(Text.Length > 300 ? Text[..300] + "…" : Text)}";
    }

    /// <param name="target">The request target exactly as written on the request line (already percent-encoded).</param>
    public static async Task<Answer> Send(Uri server, string method, byte[] target, IEnumerable<(string Name, byte[] Value)> headers, byte[]? body, CancellationToken ct = default)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.Host, server.Port, ct);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var head = new MemoryStream();
        head.Write(Encoding.ASCII.GetBytes(method + " "));
        head.Write(target);
        head.Write(Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: {server.Host}:{server.Port}\r\nConnection: close\r\n"));
        foreach (var (name, value) in headers)
        {
            head.Write(Encoding.ASCII.GetBytes(name + ": "));
            head.Write(value);
            head.Write("\r\n"u8);
        }
        if (body is not null) head.Write(Encoding.ASCII.GetBytes($"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n"));
        head.Write("\r\n"u8);
        await stream.WriteAsync(head.ToArray(), ct);
        try
        {
            if (body is not null) await stream.WriteAsync(body, ct);
        }
        catch (IOException) { } // the server may answer (413) and close before reading a large body
        var reply = new MemoryStream();
        try { await stream.CopyToAsync(reply, ct); }
        catch (IOException) { } // a reset after the answer was written
        return Parse(reply.ToArray());
    }

    static Answer Parse(byte[] raw)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) return new Answer(0, null, raw);
        var lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim(), StringComparer.Ordinal);
        var body = raw[(end + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
        var type = headers.TryGetValue("content-type", out var ct) ? ct.Split(';')[0].Trim() : null;
        return new Answer(status, type, body);
    }

    static byte[] Dechunk(byte[] data)
    {
        var output = new MemoryStream();
        var i = 0;
        while (i < data.Length)
        {
            var lineEnd = data.AsSpan(i).IndexOf("\r\n"u8);
            if (lineEnd < 0) break;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(data, i, lineEnd).Split(';')[0].Trim(), 16);
            i += lineEnd + 2;
            if (size == 0) break;
            output.Write(data, i, Math.Min(size, data.Length - i));
            i += size + 2;
        }
        return output.ToArray();
    }
}
