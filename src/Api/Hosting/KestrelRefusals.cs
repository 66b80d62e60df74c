using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using AssetLedger.Api.Problems;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AssetLedger.Api.Hosting;

/// <summary>
/// Kestrel refuses some requests itself, before any middleware runs (a malformed request line, a NUL in the path, a
/// NUL, CR or bytes that are not text in a header, a target or headers over its limits) and answers them with an empty
/// 4xx and <c>Connection: close</c>. Kestrel offers no hook for that answer's body; what it does offer is connection
/// middleware, which sees the bytes it writes. This one rewrites exactly such an answer (4xx, no body, closing) into an
/// RFC 9457 problem; every other byte passes through unchanged. It sees HTTP/1.x in clear text only: behind TLS or on
/// HTTP/2 it never matches and changes nothing.
/// </summary>
public static class KestrelRefusals
{
    public static ListenOptions AnswerWithProblems(this ListenOptions listen)
    {
        listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            connection.Transport = new Duplex(transport.Input, new RewritingWriter(transport.Output));
            try { await next(connection); }
            finally { connection.Transport = transport; }
        });
        return listen;
    }

    sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>The answer to put in place of Kestrel's empty one, or null when <paramref name="written"/> is anything else.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> written)
    {
        if (!(written.StartsWith("HTTP/1.1 4"u8) || written.StartsWith("HTTP/1.0 4"u8))) return null;
        if (written.IndexOf("\r\n\r\n"u8) != written.Length - 4) return null; // a body follows, or the head is not complete
        var head = Encoding.ASCII.GetString(written);
        const string Empty = "\r\nContent-Length: 0\r\n";
        if (!head.Contains(Empty, StringComparison.OrdinalIgnoreCase) || !head.Contains("\r\nConnection: close\r\n", StringComparison.OrdinalIgnoreCase)
            || head.Contains("\r\nContent-Type:", StringComparison.OrdinalIgnoreCase)) return null;
        if (!int.TryParse(head.AsSpan(9, 3), out var status)) return null;
        var body = Problems.Problems.Serialized(status, RequestErrors.RefusedByServer(status));
        var at = head.IndexOf(Empty, StringComparison.OrdinalIgnoreCase);
        var rewritten = head[..at] + $"\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\n" + head[(at + Empty.Length)..];
        return [.. Encoding.ASCII.GetBytes(rewritten), .. body];
    }

    /// <summary>Holds what Kestrel writes until it flushes, so that a whole refusal is seen at once.</summary>
    sealed class RewritingWriter(PipeWriter inner) : PipeWriter
    {
        readonly ArrayBufferWriter<byte> _pending = new(4096);

        public override void Advance(int bytes) => _pending.Advance(bytes);
        public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        // System.Text.Json asks while it serialises an answer; every byte written since the last flush is held here.
        public override bool CanGetUnflushedBytes => true;
        public override long UnflushedBytes => _pending.WrittenCount;

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Drain();
            return inner.FlushAsync(cancellationToken);
        }

        public override void Complete(Exception? exception = null)
        {
            Drain();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            Drain();
            return inner.CompleteAsync(exception);
        }

        void Drain()
        {
            if (_pending.WrittenCount == 0) return;
            var written = _pending.WrittenSpan;
            inner.Write(Rewrite(written) is { } problem ? problem : written);
            _pending.ResetWrittenCount();
        }
    }
}
