using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace AssetLedger.Infrastructure.Evidence;

/// <summary>Writes the files of a bundle into a ZIP, keeping each file's SHA-256 and size for the manifest.</summary>
sealed class BundleWriter : IDisposable
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    readonly ZipArchive _zip;
    readonly List<BundleFile> _files = [];
    readonly DateTimeOffset _entryTime;

    public BundleWriter(Stream output, DateTimeOffset entryTime)
    {
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Utf8);
        _entryTime = entryTime;
    }

    /// <summary>Files written so far, in the order written (the manifest lists them sorted by path).</summary>
    public IReadOnlyList<BundleFile> Files => _files;

    /// <summary>A text file written line by line (each line ends with \n) or in pieces.</summary>
    public TextFile Open(string path, bool listed = true) => Open(path, listed, CompressionLevel.Fastest);

    TextFile Open(string path, bool listed, CompressionLevel level)
    {
        var entry = _zip.CreateEntry(path, level);
        entry.LastWriteTime = _entryTime;
        return new TextFile(this, path, entry.Open(), listed);
    }

    /// <summary>Shorter texts than this are stored, not deflated: a checkpoint note (under 300 bytes, and a certificate
    /// holds dozens) gains nothing from it, and each deflated entry sets up a compressor of its own.</summary>
    const int StoredBelow = 1024;

    public void Write(string path, string text, bool listed = true)
    {
        using var f = Open(path, listed, text.Length < StoredBelow ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
        f.Write(text);
    }

    /// <summary>The SHA-256 of a file written with <c>listed: false</c> (the manifest itself).</summary>
    public string? LastUnlistedHash { get; private set; }

    void Closed(string path, string sha256, long bytes, bool listed)
    {
        if (listed) _files.Add(new BundleFile(path, sha256, bytes));
        else LastUnlistedHash = sha256;
    }

    public void Dispose() => _zip.Dispose();

    public sealed class TextFile : IDisposable
    {
        readonly BundleWriter _owner;
        readonly string _path;
        readonly Stream _entry;
        readonly bool _listed;
        readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Rented: a bundle writes a dozen files, and a certificate is asked for many times a second.
        readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        int _used;
        long _bytes;
        bool _closed;

        internal TextFile(BundleWriter owner, string path, Stream entry, bool listed) => (_owner, _path, _entry, _listed) = (owner, path, entry, listed);

        public void WriteLine(string line)
        {
            Write(line);
            Write("\n");
        }

        public void Write(string text)
        {
            var max = Utf8.GetMaxByteCount(text.Length);
            if (max > _buffer.Length)
            {
                Flush();
                var bytes = Utf8.GetBytes(text);
                Emit(bytes, bytes.Length);
                return;
            }
            if (_used + max > _buffer.Length) Flush();
            _used += Utf8.GetBytes(text, 0, text.Length, _buffer, _used);
        }

        void Flush()
        {
            if (_used == 0) return;
            Emit(_buffer, _used);
            _used = 0;
        }

        void Emit(byte[] bytes, int count)
        {
            _hash.AppendData(bytes, 0, count);
            _entry.Write(bytes, 0, count);
            _bytes += count;
        }

        public void Dispose()
        {
            if (_closed) return;
            _closed = true;
            Flush();
            _entry.Dispose();
            _owner.Closed(_path, Convert.ToHexStringLower(_hash.GetHashAndReset()), _bytes, _listed);
            _hash.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}

/// <summary>One file of a bundle as the manifest lists it.</summary>
public sealed record BundleFile(string Path, string Sha256, long Bytes);
