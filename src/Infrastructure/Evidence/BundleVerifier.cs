using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AssetLedger.Application.Serialization;
using AssetLedger.Domain.Assets;
using AssetLedger.Domain.Participants;
using AssetLedger.Infrastructure.Canonical;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Infrastructure.Ledger;
using AssetLedger.Infrastructure.Ledger.Anchors;
using AssetLedger.Infrastructure.Ledger.Merkle;
using AssetLedger.Infrastructure.Ledger.Notes;
using AssetLedger.Infrastructure.Security;

namespace AssetLedger.Infrastructure.Evidence;

/// <summary>Keys the person verifying trusts from elsewhere (e.g. <c>GET /api/v1/ledger/keys</c>); unset, the manifest's are used.</summary>
public sealed record VerifierOptions(string? LedgerKey = null, string? AnchorKey = null);

/// <summary>One check: passed or not, a one-line summary, and each failure naming the file, position and event.</summary>
public sealed record VerificationCheck(string Name, bool Passed, string Summary, IReadOnlyList<string> Failures);

public sealed record VerificationReport(string Subject, IReadOnlyList<VerificationCheck> Checks)
{
    public bool Ok => Checks.Count > 0 && Checks.All(c => c.Passed);
    public IEnumerable<VerificationCheck> Failed => Checks.Where(c => !c.Passed);
}

/// <summary>
/// Checks an evidence bundle (docs/evidence-bundle.md) offline — no database, no network: the files against the
/// manifest and the manifest's signature, every event's hash from its canonical envelope (<see cref="EventHasher"/>), every
/// stream-chain link, every inclusion proof against the signed checkpoint's root (<see cref="MerkleVerifier"/>), the
/// checkpoints' signatures, the consistency proofs, the local anchor receipts, the chain anchor receipts (EVM, Fabric: their
/// form and that they name the bundle's checkpoints; <see cref="OnlineReceiptChecker"/> asks the chains), the signed
/// commands against the signers' registered keys, and the replay of each asset through the Domain against the state file.
/// </summary>
public static partial class BundleVerifier
{
    public static VerificationReport Verify(string zipPath, VerifierOptions? options = null)
    {
        using var stream = File.OpenRead(zipPath);
        return Verify(stream, options);
    }

    public static VerificationReport Verify(Stream zip, VerifierOptions? options = null)
    {
        Dictionary<string, byte[]> files;
        try { files = ReadZip(zip); }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            return new VerificationReport("?", [new VerificationCheck("bundle", false, "not a readable ZIP archive", [e.Message])]);
        }
        return Verify(files, options);
    }

    /// <summary>The bundle's files by path (for tests that edit a bundle and check it again).</summary>
    public static Dictionary<string, byte[]> ReadZip(Stream zip)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            if (entry.FullName.EndsWith('/')) continue;
            using var s = entry.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            if (!files.TryAdd(entry.FullName, m.ToArray())) throw new InvalidDataException($"The archive holds {entry.FullName} twice.");
        }
        return files;
    }

    public static void WriteZip(IReadOnlyDictionary<string, byte[]> files, Stream output)
    {
        using var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (path, bytes) in files)
        {
            using var s = archive.CreateEntry(path, CompressionLevel.Fastest).Open();
            s.Write(bytes);
        }
    }

    public static VerificationReport Verify(IReadOnlyDictionary<string, byte[]> files, VerifierOptions? options = null) =>
        new Run(files, options ?? new VerifierOptions()).Execute();

    /// <summary>An event as a bundle line carries it.</summary>
    sealed record Ev(string File, int Line, long Position, DateTimeOffset RecordedAt, string Hash, string Envelope,
        string StreamId, long Version, Guid EventId, string Type, int SchemaVersion, string Data, string Metadata, string? PreviousHash)
    {
        public string Where => $"{File} line {Line}: position {Position}, event {EventId} ({StreamId} v{Version})";
        public bool IsAsset => StreamId.StartsWith("asset-", StringComparison.Ordinal);
    }

    sealed record Proof(int Line, long Position, long LeafIndex, long TreeSize, List<byte[]> Path, long? FirstCheckpoint);

    sealed record Checkpoint(string File, long Size, byte[] Root, byte[] NoteHash, DateTimeOffset Timestamp, bool Valid, string Note, byte[]? PreviousHash);

    sealed partial class Run(IReadOnlyDictionary<string, byte[]> files, VerifierOptions options)
    {
        const int MaxListed = 50;
        readonly List<VerificationCheck> _checks = [];

        // From the manifest.
        string _kind = "";
        string _origin = "";
        string? _assetStream;
        long _rangeFrom, _rangeTo, _treeSize;
        string _checkpointFile = "";
        NoteVerifier? _ledgerKey, _anchorKey;

        readonly List<Ev> _main = [];
        readonly List<Ev> _participants = [];
        readonly Dictionary<long, Checkpoint> _checkpoints = [];

        public VerificationReport Execute()
        {
            if (!ReadManifest(out var listed)) return new VerificationReport("?", _checks);
            CheckFiles(listed);
            CheckManifestSignature();
            CheckKeys();
            CheckEventHashes();
            var streams = CheckChains();
            CheckCheckpoints();
            var proofs = CheckInclusion();
            CheckConsistency(proofs);
            CheckAnchors();
            CheckChainReceipts();
            CheckSignedCommands(streams);
            CheckReplay(streams);
            return new VerificationReport(_kind == "asset" ? $"asset {_assetStream}" : $"ledger positions {_rangeFrom}–{_rangeTo}", _checks);
        }

        void Add(string name, List<string> failures, string passSummary, string? failSummary = null)
        {
            var shown = failures.Count > MaxListed ? [.. failures.Take(MaxListed), $"… and {failures.Count - MaxListed} more"] : failures;
            _checks.Add(new VerificationCheck(name, failures.Count == 0, failures.Count == 0 ? passSummary : failSummary ?? $"{failures.Count} failed", shown));
        }

        string? Text(string path) => files.TryGetValue(path, out var b) ? new UTF8Encoding(false, false).GetString(b) : null;

        // ---- manifest -------------------------------------------------------------------------------------------

        bool ReadManifest(out List<(string Path, string Sha256, long Bytes)> listed)
        {
            listed = [];
            var failures = new List<string>();
            var text = Text(BundleFormat.Manifest);
            if (text is null)
            {
                Add("manifest", [$"{BundleFormat.Manifest} is missing"], "");
                return false;
            }
            try
            {
                using var doc = JsonDocument.Parse(text);
                var m = doc.RootElement;
                if (m.GetProperty("formatVersion").GetInt32() != BundleFormat.Version) failures.Add($"{BundleFormat.Manifest}: formatVersion {m.GetProperty("formatVersion")} is not {BundleFormat.Version}");
                _kind = m.GetProperty("kind").GetString() ?? "";
                _origin = m.GetProperty("origin").GetString() ?? "";
                var keys = m.GetProperty("keys");
                _ledgerKey = ParseKey(keys.GetProperty("ledger").GetString(), "keys.ledger", failures);
                _anchorKey = ParseKey(keys.GetProperty("anchor").GetString(), "keys.anchor", failures);
                if (_ledgerKey is not null && _ledgerKey.Name != _origin) failures.Add($"{BundleFormat.Manifest}: the ledger key is named {_ledgerKey.Name}, not the origin {_origin}");
                if (_kind == "asset")
                {
                    var asset = m.GetProperty("asset");
                    _assetStream = asset.GetProperty("streamId").GetString();
                    if (!Guid.TryParse(asset.GetProperty("id").GetString(), out var id) || _assetStream != $"asset-{id:N}")
                        failures.Add($"{BundleFormat.Manifest}: asset id and stream id do not agree");
                }
                else if (_kind == "ledger")
                {
                    var range = m.GetProperty("range");
                    (_rangeFrom, _rangeTo) = (range.GetProperty("from").GetInt64(), range.GetProperty("to").GetInt64());
                    if (_rangeFrom < 1 || _rangeTo < _rangeFrom) failures.Add($"{BundleFormat.Manifest}: range {_rangeFrom}–{_rangeTo} is empty");
                }
                else failures.Add($"{BundleFormat.Manifest}: kind '{_kind}' is neither asset nor ledger");
                var cp = m.GetProperty("checkpoint");
                _treeSize = cp.GetProperty("treeSize").GetInt64();
                _checkpointFile = cp.GetProperty("file").GetString() ?? "";
                if (_checkpointFile != BundleFormat.CheckpointFile(_treeSize)) failures.Add($"{BundleFormat.Manifest}: the checkpoint file is not {BundleFormat.CheckpointFile(_treeSize)}");
                if (_kind == "ledger" && _rangeTo > _treeSize) failures.Add($"{BundleFormat.Manifest}: range ends at {_rangeTo}, after the checkpoint's {_treeSize} events");
                foreach (var f in m.GetProperty("files").EnumerateArray())
                    listed.Add((f.GetProperty("path").GetString() ?? "", f.GetProperty("sha256").GetString() ?? "", f.GetProperty("bytes").GetInt64()));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                failures.Add($"{BundleFormat.Manifest} is not a valid manifest: {e.Message}");
                Add("manifest", failures, "");
                return false;
            }
            Add("manifest", failures, $"format {BundleFormat.Version}, {_kind} bundle of log {_origin}, checkpoint {_treeSize}");
            return _ledgerKey is not null && _anchorKey is not null;
        }

        static NoteVerifier? ParseKey(string? text, string what, List<string> failures)
        {
            try { return NoteVerifier.Parse(text ?? ""); }
            catch (FormatException e) { failures.Add($"{BundleFormat.Manifest}: {what} is not a verifier key ({e.Message})"); return null; }
        }

        void CheckFiles(List<(string Path, string Sha256, long Bytes)> listed)
        {
            var failures = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (path, sha, bytes) in listed)
            {
                if (!seen.Add(path)) { failures.Add($"{path} is listed twice in {BundleFormat.Manifest}"); continue; }
                if (path is BundleFormat.Manifest or BundleFormat.ManifestSignature) { failures.Add($"{path} cannot list itself"); continue; }
                if (!files.TryGetValue(path, out var content)) { failures.Add($"{path} is listed in {BundleFormat.Manifest} but missing from the bundle"); continue; }
                var actual = Convert.ToHexStringLower(SHA256.HashData(content));
                if (actual != sha) failures.Add($"{path}: SHA-256 is {actual}, the manifest says {sha}");
                else if (content.LongLength != bytes) failures.Add($"{path}: {content.LongLength} bytes, the manifest says {bytes}");
            }
            foreach (var path in files.Keys.Where(p => p is not (BundleFormat.Manifest or BundleFormat.ManifestSignature) && !seen.Contains(p)).Order(StringComparer.Ordinal))
                failures.Add($"{path} is in the bundle but not listed in {BundleFormat.Manifest}");
            foreach (var required in new[] { BundleFormat.Events, BundleFormat.Participants, BundleFormat.Proofs, BundleFormat.Consistency, BundleFormat.Anchors, BundleFormat.State, _checkpointFile })
                if (!seen.Contains(required)) failures.Add($"{required} is not in the bundle");
            Add("file hashes", failures, $"{listed.Count} files match the SHA-256 hashes in {BundleFormat.Manifest}");
        }

        void CheckManifestSignature()
        {
            var failures = new List<string>();
            var note = Text(BundleFormat.ManifestSignature);
            if (note is null) failures.Add($"{BundleFormat.ManifestSignature} is missing");
            else
            {
                var opened = SignedNote.Open(note, _ledgerKey!);
                var expected = BundleFormat.SignatureText(_origin, Convert.ToHexStringLower(SHA256.HashData(files[BundleFormat.Manifest])));
                if (!opened.IsValid) failures.Add($"{BundleFormat.ManifestSignature}: {opened.Message}");
                else if (opened.Text != expected) failures.Add($"{BundleFormat.ManifestSignature}: signs '{opened.Text!.ReplaceLineEndings(" ").Trim()}', not the SHA-256 of this {BundleFormat.Manifest}");
            }
            Add("manifest signature", failures, $"{BundleFormat.Manifest} is signed by the ledger key {_ledgerKey!.Name}+{_ledgerKey.KeyId:x8}");
        }

        void CheckKeys()
        {
            var failures = new List<string>();
            if (options.LedgerKey is { } l && l.Trim() != _ledgerKey!.VerifierKey) failures.Add($"{BundleFormat.Manifest}: ledger key {_ledgerKey.VerifierKey} is not the trusted {l.Trim()}");
            if (options.AnchorKey is { } a && a.Trim() != _anchorKey!.VerifierKey) failures.Add($"{BundleFormat.Manifest}: anchor key {_anchorKey.VerifierKey} is not the trusted {a.Trim()}");
            var pinned = options.LedgerKey is not null || options.AnchorKey is not null;
            Add("trusted keys", failures, pinned
                ? $"the bundle's keys are the trusted ones ({(options.LedgerKey is null ? "" : "ledger")}{(options.LedgerKey is not null && options.AnchorKey is not null ? " and " : "")}{(options.AnchorKey is null ? "" : "anchor")})"
                : $"taken from {BundleFormat.Manifest} (not pinned: compare {_ledgerKey!.VerifierKey} with GET /api/v1/ledger/keys, or pass --ledger-key)");
        }

        // ---- events ---------------------------------------------------------------------------------------------

        void CheckEventHashes()
        {
            var failures = new List<string>();
            foreach (var (file, list) in new[] { (BundleFormat.Events, _main), (BundleFormat.Participants, _participants) })
            {
                var text = Text(file);
                if (text is null) continue;
                var lines = text.Split('\n');
                if (lines[^1].Length != 0) failures.Add($"{file}: the last line does not end with a newline");
                for (var i = 0; i < lines.Length - 1; i++)
                {
                    var ev = ParseEvent(file, i + 1, lines[i], failures);
                    if (ev is null) continue;
                    list.Add(ev);
                    string rebuilt;
                    try
                    {
                        rebuilt = EventHasher.CanonicalEnvelope(Jcs.Canonicalize(ev.Data), ev.EventId, Jcs.Canonicalize(ev.Metadata), ev.PreviousHash, ev.SchemaVersion, ev.StreamId, ev.Type, ev.Version);
                    }
                    catch (JsonException e) { failures.Add($"{ev.Where}: data or metadata is not JSON ({e.Message})"); continue; }
                    if (rebuilt != ev.Envelope) { failures.Add($"{ev.Where}: the envelope is not the canonical envelope EventHasher hashes"); continue; }
                    var hash = EventHasher.Hex(EventHasher.Hash(ev.Envelope));
                    if (hash != ev.Hash) failures.Add($"{ev.Where}: the envelope hashes to {hash}, the recorded hash is {ev.Hash}");
                }
            }
            if (_main.Count == 0) failures.Add($"{BundleFormat.Events} holds no event");
            Add("event hashes", failures, $"{_main.Count + _participants.Count} events ({_main.Count} in {BundleFormat.Events}, {_participants.Count} in {BundleFormat.Participants}) hash to their recorded SHA-256");
        }

        static Ev? ParseEvent(string file, int line, string text, List<string> failures)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                var env = root.GetProperty("envelope");
                var previous = env.GetProperty("previousHash");
                return new Ev(file, line, root.GetProperty("position").GetInt64(),
                    DateTimeOffset.Parse(root.GetProperty("recordedAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                    root.GetProperty("hash").GetString()!, env.GetRawText(),
                    env.GetProperty("streamId").GetString()!, env.GetProperty("version").GetInt64(), env.GetProperty("eventId").GetGuid(),
                    env.GetProperty("type").GetString()!, env.GetProperty("schemaVersion").GetInt32(),
                    env.GetProperty("data").GetRawText(), env.GetProperty("metadata").GetRawText(),
                    previous.ValueKind == JsonValueKind.Null ? null : previous.GetString());
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
            {
                failures.Add($"{file} line {line}: not an event line ({e.Message})");
                return null;
            }
        }

        /// <summary>Each stream's events by version (both files; the same event may be in both).</summary>
        Dictionary<string, List<Ev>> CheckChains()
        {
            var failures = new List<string>();
            // Order within events.jsonl.
            if (_kind == "asset")
            {
                foreach (var e in _main.Where(e => e.StreamId != _assetStream)) failures.Add($"{e.Where}: not an event of {_assetStream}");
                for (var i = 1; i < _main.Count; i++)
                    if (_main[i].Version <= _main[i - 1].Version) failures.Add($"{_main[i].Where}: comes after version {_main[i - 1].Version}; {BundleFormat.Events} is in version order");
            }
            else if (_main.Count > 0)
            {
                var expected = _rangeFrom;
                foreach (var e in _main)
                {
                    if (e.Position < expected) failures.Add($"{e.Where}: out of position order (expected {expected} or later)");
                    else if (e.Position > expected)
                        failures.Add(e.Position == expected + 1 ? $"position {expected} is missing from {BundleFormat.Events} (before {e.Where})"
                            : $"positions {expected}–{e.Position - 1} are missing from {BundleFormat.Events} (before {e.Where})");
                    expected = Math.Max(expected, e.Position + 1);
                }
                if (expected <= _rangeTo) failures.Add($"positions {expected}–{_rangeTo} are missing from the end of {BundleFormat.Events}");
            }

            // Merge the two files: one event per (stream, version); the same event may appear in both.
            var streams = new Dictionary<string, List<Ev>>(StringComparer.Ordinal);
            var byPosition = new Dictionary<long, Ev>();
            foreach (var e in _main.Concat(_participants))
            {
                if (byPosition.TryGetValue(e.Position, out var other))
                {
                    if (other.EventId != e.EventId || other.Hash != e.Hash) failures.Add($"{e.Where}: position {e.Position} also holds {other.Where}");
                    continue;
                }
                byPosition[e.Position] = e;
                if (!streams.TryGetValue(e.StreamId, out var list)) streams[e.StreamId] = list = [];
                list.Add(e);
            }
            var links = 0;
            var openStarts = 0;
            foreach (var (stream, list) in streams)
            {
                list.Sort((a, b) => a.Version.CompareTo(b.Version));
                var isParticipant = list.Any(e => e.File == BundleFormat.Participants);
                var mustStartAtOne = _kind == "asset" || isParticipant;
                var first = list[0];
                if (first.Version == 1)
                {
                    if (first.PreviousHash is not null) failures.Add($"{first.Where}: the first event of its stream names a previous hash");
                }
                else if (mustStartAtOne) failures.Add($"{first.Where}: versions 1–{first.Version - 1} of {stream} are missing");
                else openStarts++;
                for (var i = 1; i < list.Count; i++)
                {
                    var (prev, e) = (list[i - 1], list[i]);
                    if (e.Version == prev.Version) { failures.Add($"{e.Where}: {stream} v{e.Version} appears twice (also {prev.Where})"); continue; }
                    if (e.Version != prev.Version + 1)
                        failures.Add(e.Version == prev.Version + 2 ? $"{stream} v{prev.Version + 1} is missing between {prev.Where} and {e.Where}"
                            : $"{stream} v{prev.Version + 1}–v{e.Version - 1} are missing between {prev.Where} and {e.Where}");
                    else
                    {
                        links++;
                        if (e.PreviousHash != prev.Hash) failures.Add($"{e.Where}: previous hash {e.PreviousHash ?? "null"} is not the hash {prev.Hash} of v{prev.Version} (position {prev.Position})");
                    }
                    if (e.Position <= prev.Position) failures.Add($"{e.Where}: at position {e.Position}, not after v{prev.Version} at position {prev.Position}");
                }
            }
            Add("stream chains", failures, $"{links} links in {streams.Count} streams" + (openStarts > 0 ? $"; {openStarts} streams begin before the range (their first link is outside it)" : ""));
            return streams;
        }

        // ---- checkpoints and proofs -----------------------------------------------------------------------------

        void CheckCheckpoints()
        {
            var failures = new List<string>();
            foreach (var path in files.Keys.Where(p => p.StartsWith(BundleFormat.CheckpointDirectory, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var note = Text(path)!;
                var name = path[BundleFormat.CheckpointDirectory.Length..];
                if (!name.EndsWith(".txt", StringComparison.Ordinal) || !long.TryParse(name[..^4], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                {
                    failures.Add($"{path}: not a checkpoint file name (checkpoints/<tree size>.txt)");
                    continue;
                }
                var opened = SignedNote.Open(note, _ledgerKey!);
                var text = opened.Text ?? (note.LastIndexOf("\n\n", StringComparison.Ordinal) is var split and >= 0 ? note[..(split + 1)] : note);
                CheckpointBody body;
                try { body = CheckpointBody.Parse(text); }
                catch (FormatException e) { failures.Add($"{path}: not a checkpoint ({e.Message})"); continue; }
                var valid = opened.IsValid;
                if (!opened.IsValid) failures.Add($"{path}: checkpoint {body.TreeSize}: {opened.Message}");
                if (body.Origin != _origin) { failures.Add($"{path}: origin {body.Origin} is not {_origin}"); valid = false; }
                if (body.TreeSize != size) { failures.Add($"{path}: holds the checkpoint of size {body.TreeSize}"); valid = false; }
                _checkpoints[size] = new Checkpoint(path, size, body.RootHash, CheckpointBody.NoteHash(note), body.Timestamp, valid, note, body.PreviousHash);
            }
            if (!_checkpoints.ContainsKey(_treeSize)) failures.Add($"{_checkpointFile}: the bundle's checkpoint is missing");
            var ordered = _checkpoints.Values.OrderBy(c => c.Size).ToList();
            for (var i = 1; i < ordered.Count; i++)
                if (ordered[i].Timestamp < ordered[i - 1].Timestamp)
                    failures.Add($"{ordered[i].File}: timestamp {ordered[i].Timestamp:O} is before that of the smaller checkpoint {ordered[i - 1].Size} ({ordered[i - 1].Timestamp:O})");
            var main = _checkpoints.GetValueOrDefault(_treeSize);
            Add("checkpoint signatures", failures,
                $"{_checkpoints.Count} checkpoints signed by {_ledgerKey!.Name}; the bundle's: {_treeSize} events at {main?.Timestamp:yyyy-MM-dd HH:mm:ss.fff} UTC, root {(main is null ? "?" : Convert.ToHexStringLower(main.Root))}");
        }

        Dictionary<long, Proof> CheckInclusion()
        {
            var failures = new List<string>();
            var proofs = new Dictionary<long, Proof>();
            var text = Text(BundleFormat.Proofs) ?? "";
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length == 0) continue;
                try
                {
                    using var doc = JsonDocument.Parse(lines[i]);
                    var r = doc.RootElement;
                    var p = new Proof(i + 1, r.GetProperty("position").GetInt64(), r.GetProperty("leafIndex").GetInt64(), r.GetProperty("treeSize").GetInt64(),
                        r.GetProperty("path").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList(),
                        r.TryGetProperty("firstCheckpoint", out var f) ? f.GetInt64() : null);
                    if (!proofs.TryAdd(p.Position, p)) failures.Add($"{BundleFormat.Proofs} line {i + 1}: a second proof for position {p.Position}");
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
                {
                    failures.Add($"{BundleFormat.Proofs} line {i + 1}: not a proof line ({e.Message})");
                }
            }
            var root = _checkpoints.GetValueOrDefault(_treeSize)?.Root;
            var checkedCount = 0;
            var events = _main.Concat(_participants).GroupBy(e => e.Position).Select(g => g.First()).OrderBy(e => e.Position).ToList();
            foreach (var e in events)
            {
                if (!proofs.TryGetValue(e.Position, out var p)) { failures.Add($"{e.Where}: no inclusion proof in {BundleFormat.Proofs}"); continue; }
                var where = $"{e.Where}, {BundleFormat.Proofs} line {p.Line}";
                if (p.TreeSize != _treeSize) { failures.Add($"{where}: proof is for a tree of {p.TreeSize}, not the checkpoint's {_treeSize}"); continue; }
                if (p.LeafIndex != e.Position - 1) { failures.Add($"{where}: leaf index {p.LeafIndex} is not position − 1"); continue; }
                if (root is null) { failures.Add($"{where}: no checkpoint root to check against"); continue; }
                byte[] leafData;
                try { leafData = Convert.FromHexString(e.Hash); }
                catch (FormatException) { failures.Add($"{where}: the recorded hash is not hex"); continue; }
                var verdict = MerkleVerifier.VerifyInclusion(p.LeafIndex, p.TreeSize, MerkleHash.Leaf(leafData), p.Path, root);
                if (!verdict.IsValid) failures.Add($"{where}: the event's hash is not leaf {p.LeafIndex} of the checkpoint's tree ({verdict})");
                else checkedCount++;
            }
            var positions = events.Select(e => e.Position).ToHashSet();
            foreach (var p in proofs.Values.Where(p => !positions.Contains(p.Position)).OrderBy(p => p.Position))
                failures.Add($"{BundleFormat.Proofs} line {p.Line}: proof for position {p.Position}, which no event in the bundle has");
            Add("inclusion proofs", failures, $"{checkedCount} events are leaves of the checkpoint's tree of {_treeSize} (RFC 9162)");
            return proofs;
        }

        void CheckConsistency(Dictionary<long, Proof> proofs)
        {
            var failures = new List<string>();
            var proven = new HashSet<long>();
            var text = Text(BundleFormat.Consistency) ?? "";
            var lines = text.Split('\n');
            var main = _checkpoints.GetValueOrDefault(_treeSize);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length == 0) continue;
                var where = $"{BundleFormat.Consistency} line {i + 1}";
                try
                {
                    using var doc = JsonDocument.Parse(lines[i]);
                    var r = doc.RootElement;
                    var (from, to) = (r.GetProperty("from").GetInt64(), r.GetProperty("to").GetInt64());
                    var path = r.GetProperty("path").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
                    if (to != _treeSize) { failures.Add($"{where}: proves {from} → {to}, not → the checkpoint's {_treeSize}"); continue; }
                    if (!_checkpoints.TryGetValue(from, out var old)) { failures.Add($"{where}: checkpoint {from} is not in the bundle"); continue; }
                    if (main is null) { failures.Add($"{where}: the bundle's checkpoint is missing"); continue; }
                    var verdict = MerkleVerifier.VerifyConsistency(from, to, old.Root, main.Root, path);
                    if (!verdict.IsValid) failures.Add($"{where}: {old.File} is not a prefix of {main.File} ({verdict})");
                    else proven.Add(from);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
                {
                    failures.Add($"{where}: not a consistency line ({e.Message})");
                }
            }
            foreach (var c in _checkpoints.Values.Where(c => c.Size != _treeSize && !proven.Contains(c.Size)).OrderBy(c => c.Size))
                if (!failures.Any(f => f.Contains($"{c.File} is not a prefix", StringComparison.Ordinal))) failures.Add($"{c.File}: no consistency proof to the bundle's checkpoint {_treeSize}");
            var logged = 0;
            foreach (var p in proofs.Values.Where(p => p.FirstCheckpoint is not null).OrderBy(p => p.Position))
            {
                var first = p.FirstCheckpoint!.Value;
                var where = $"{BundleFormat.Proofs} line {p.Line} (position {p.Position})";
                if (p.LeafIndex >= first) failures.Add($"{where}: says checkpoint {first} first logged it, but leaf {p.LeafIndex} is not in a tree of {first}");
                else if (first != _treeSize && !_checkpoints.ContainsKey(first)) failures.Add($"{where}: names checkpoint {first}, which is not in the bundle");
                else logged++;
            }
            Add("consistency proofs", failures, $"{proven.Count} earlier checkpoints are prefixes of the checkpoint of {_treeSize}; {logged} events shown logged by the checkpoint that first held them");
        }

        // ---- anchors --------------------------------------------------------------------------------------------

        void CheckAnchors()
        {
            var failures = new List<string>();
            var entries = new List<(long Seq, long Size, byte[] Hash, byte[]? Previous, string Where)>();
            var mainAnchored = 0;
            var chainReceipts = 0;
            try
            {
                using var doc = JsonDocument.Parse(Text(BundleFormat.Anchors) ?? "");
                var i = 0;
                foreach (var r in doc.RootElement.GetProperty("receipts").EnumerateArray())
                {
                    i++;
                    var anchor = r.GetProperty("anchor").GetString();
                    var size = r.GetProperty("treeSize").GetInt64();
                    var where = $"{BundleFormat.Anchors} receipt {i} ({anchor}, checkpoint {size})";
                    if (!_checkpoints.TryGetValue(size, out var cp)) { failures.Add($"{where}: checkpoint {size} is not in the bundle"); continue; }
                    if (anchor != LocalAnchor.AnchorName)
                    {
                        chainReceipts++; // checked by CheckChainReceipts
                        continue;
                    }
                    var proof = r.GetProperty("proof");
                    var seq = proof.GetProperty("seq").GetInt64();
                    var note = proof.GetProperty("note").GetString() ?? "";
                    var entryHash = Convert.FromHexString(proof.GetProperty("entryHash").GetString() ?? "");
                    var prevElement = proof.GetProperty("previousEntryHash");
                    var previous = prevElement.ValueKind == JsonValueKind.Null ? null : Convert.FromHexString(prevElement.GetString()!);
                    var at = DateTimeOffset.Parse(r.GetProperty("anchoredAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    var problem = (string?)null;
                    if (proof.GetProperty("verifierKey").GetString() != _anchorKey!.VerifierKey) problem = $"signed by {proof.GetProperty("verifierKey").GetString()}, not the manifest's anchor key";
                    else if (r.GetProperty("transactionReference").GetString() != $"local:{seq}") problem = $"transaction reference is not local:{seq}";
                    else if (!CheckpointBody.NoteHash(note).AsSpan().SequenceEqual(entryHash)) problem = "the entry hash is not the SHA-256 of the entry";
                    else if (SignedNote.Open(note, _anchorKey) is { IsValid: false } v) problem = $"anchor log entry {seq}: {v.Message}";
                    else if (note[..(note.LastIndexOf("\n\n", StringComparison.Ordinal) + 1)] != LocalAnchor.EntryText(_anchorKey.Name, seq, size, cp.Root, cp.NoteHash, CheckpointBody.Truncate(at), previous))
                        problem = $"anchor log entry {seq} does not name {cp.File} (its size, root and SHA-256) at {BundleFormat.Time(at)}";
                    if (problem is not null) { failures.Add($"{where}: {problem}"); continue; }
                    entries.Add((seq, size, entryHash, previous, where));
                    if (size == _treeSize && cp.Valid) mainAnchored++;
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
            {
                failures.Add($"{BundleFormat.Anchors}: not a receipt list ({e.Message})");
            }
            entries.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            for (var i = 1; i < entries.Count; i++)
            {
                var (prev, e) = (entries[i - 1], entries[i]);
                if (e.Seq == prev.Seq) failures.Add($"{e.Where}: entry {e.Seq} appears twice");
                else if (e.Size <= prev.Size) failures.Add($"{e.Where}: entry {e.Seq} anchors a smaller checkpoint than entry {prev.Seq}");
                else if (e.Seq == prev.Seq + 1 && (e.Previous is null || !e.Previous.AsSpan().SequenceEqual(prev.Hash))) failures.Add($"{e.Where}: entry {e.Seq} does not link to entry {prev.Seq}");
            }
            if (mainAnchored == 0) failures.Add($"{_checkpointFile}: no verified local anchor receipt for the bundle's checkpoint");
            Add("anchor receipts", failures,
                $"{entries.Count} local anchor entries signed by {_anchorKey!.Name} name the bundle's checkpoints" + (chainReceipts > 0 ? $"; {chainReceipts} chain receipts are checked under \"chain receipts\"" : ""));
        }

        // ---- signed commands ------------------------------------------------------------------------------------

        sealed record KeyInForce(string? KeyId, string? Spki, long RegisteredAt);

        void CheckSignedCommands(Dictionary<string, List<Ev>> streams)
        {
            var failures = new List<string>();
            // Each participant stream folded, with the key in force after each event.
            var history = new Dictionary<string, List<(long Position, KeyInForce Key)>>(StringComparer.Ordinal);
            foreach (var (stream, list) in streams.Where(s => s.Key.StartsWith("participant-", StringComparison.Ordinal) && s.Value[0].Version == 1))
            {
                var state = ParticipantState.Initial;
                var steps = new List<(long, KeyInForce)>();
                var registeredAt = 0L;
                foreach (var e in list)
                {
                    try { state = ParticipantState.Evolve(state, (IParticipantEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data)); }
                    catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidCastException or NotSupportedException)
                    {
                        failures.Add($"{e.Where}: not a participant event ({ex.Message})");
                        break;
                    }
                    if (e.Type == "participant-signing-key-registered") registeredAt = e.Position;
                    steps.Add((e.Position, new KeyInForce(state.SigningKeyId, state.SigningKeySpki, registeredAt)));
                    if (e.Type == "participant-signing-key-registered" && state.SigningKeySpki is { } spki)
                    {
                        byte[]? der = null;
                        try { der = Convert.FromBase64String(spki); } catch (FormatException) { }
                        if (der is null || CommandSignature.KeyIdOf(der) != state.SigningKeyId) failures.Add($"{e.Where}: key id {state.SigningKeyId} is not the id of the registered key");
                    }
                }
                history[stream["participant-".Length..]] = steps;
            }

            int signed = 0, keyless = 0, unknown = 0;
            foreach (var e in _main.Concat(_participants).Where(e => e.IsAsset).GroupBy(e => e.Position).Select(g => g.First()).OrderBy(e => e.Position))
            {
                string? participant, idempotencyKey, signature;
                try
                {
                    using var meta = JsonDocument.Parse(e.Metadata);
                    participant = Str(meta.RootElement, "participant");
                    idempotencyKey = Str(meta.RootElement, "idempotencyKey");
                    signature = Str(meta.RootElement, "signature");
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException) { failures.Add($"{e.Where}: metadata is not a JSON object ({ex.Message})"); continue; }
                KeyInForce? key = null;
                var known = participant is not null && history.ContainsKey(participant);
                if (known) key = history[participant!].LastOrDefault(s => s.Position < e.Position).Key ?? new KeyInForce(null, null, 0);
                if (signature is null)
                {
                    if (key?.KeyId is { } k) failures.Add($"{e.Where}: unsigned, but {participant} had registered signing key {k} at position {key.RegisteredAt}, so its commands must be signed");
                    else if (known) keyless++;
                    else unknown++;
                    continue;
                }
                var problem = SignatureProblem(e, participant, idempotencyKey, signature, known, key);
                if (problem is null) signed++;
                else failures.Add($"{e.Where}: {problem}");
            }
            Add("signed commands", failures,
                $"{signed} signed commands verify with the signer's registered ES256 key; {keyless} unsigned events by participants without a key" + (unknown > 0 ? $"; {unknown} by actors whose stream is not in the bundle" : ""));
        }

        string? SignatureProblem(Ev e, string? participant, string? idempotencyKey, string signatureJson, bool known, KeyInForce? key)
        {
            string alg, keyId, payload;
            byte[] signature;
            try
            {
                using var doc = JsonDocument.Parse(signatureJson);
                var s = doc.RootElement;
                (alg, keyId, payload) = (s.GetProperty("alg").GetString()!, s.GetProperty("keyId").GetString()!, s.GetProperty("payload").GetString()!);
                signature = Convert.FromBase64String(s.GetProperty("signature").GetString()!);
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
            {
                return $"metadata.signature is not {{alg, keyId, payload, signature}} ({ex.Message})";
            }
            if (alg != CommandSignature.Algorithm) return $"signature algorithm {alg} is not {CommandSignature.Algorithm}";
            if (!known) return $"signed with key {keyId}, but the stream of {participant ?? "(no participant)"} is not in the bundle to look the key up";
            if (key!.KeyId is null) return $"signed with key {keyId}, but {participant} had no signing key registered before position {e.Position}";
            if (key.KeyId != keyId) return $"signed with key {keyId}, but {participant}'s key at position {e.Position} was {key.KeyId} (registered at position {key.RegisteredAt})";
            if (!CommandSignature.Verify(key.Spki!, Encoding.UTF8.GetBytes(payload), signature))
                return $"the ES256 signature does not verify with {participant}'s key {keyId} (registered at position {key.RegisteredAt})";
            try
            {
                using var doc = JsonDocument.Parse(payload);
                var p = doc.RootElement;
                if (Str(p, "method") != "POST") return "the signed payload is not a POST";
                if (Str(p, "idempotencyKey") != idempotencyKey) return $"the signed payload's idempotency key is not the event's ({idempotencyKey ?? "none"})";
                var path = Str(p, "path") ?? "";
                var asset = Guid.Parse(e.StreamId["asset-".Length..]);
                var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
                var forThisAsset = segments is ["api", "v1", "assets"] ? e.Version == 1 && e.Type == "asset-registered"
                    : segments.Length >= 4 && segments[..3] is ["api", "v1", "assets"] && Guid.TryParse(segments[3], out var g) && g == asset;
                if (!forThisAsset) return $"the signed command ({path}) is not one that produced this event of {e.StreamId}";
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException) { return $"the signed payload is not JSON ({ex.Message})"; }
            return null;
        }

        static string? Str(JsonElement o, string name) =>
            o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        // ---- replay ---------------------------------------------------------------------------------------------

        void CheckReplay(Dictionary<string, List<Ev>> streams)
        {
            var failures = new List<string>();
            var replayed = 0;
            Dictionary<string, JsonElement> claimed;
            JsonDocument? doc = null;
            try
            {
                doc = JsonDocument.Parse(Text(BundleFormat.State) ?? "");
                claimed = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                Add("replay", [$"{BundleFormat.State}: not a JSON object of states ({e.Message})"], "");
                doc?.Dispose();
                return;
            }
            using (doc)
            {
                var expectedStreams = _main.Where(e => e.IsAsset && e.Version == 1).Select(e => e.StreamId).ToHashSet(StringComparer.Ordinal);
                if (_assetStream is not null && !claimed.ContainsKey(_assetStream)) failures.Add($"{BundleFormat.State}: no state for {_assetStream}");
                foreach (var s in expectedStreams.Where(s => !claimed.ContainsKey(s) && s != _assetStream).Order(StringComparer.Ordinal))
                    failures.Add($"{BundleFormat.State}: no state for {s}, whose history starts in the bundle");
                foreach (var (stream, json) in claimed.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    if (!expectedStreams.Contains(stream) || !streams.TryGetValue(stream, out var events)) { failures.Add($"{BundleFormat.State}: a state for {stream}, whose history is not in {BundleFormat.Events}"); continue; }
                    AssetState? expected;
                    try { expected = json.Deserialize<AssetState>(EventSerializer.Options); }
                    catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException) { failures.Add($"{BundleFormat.State}: the state of {stream} is not an asset state ({e.Message})"); continue; }
                    var state = AssetState.Initial;
                    string? broken = null;
                    foreach (var e in events)
                    {
                        try { state = AssetState.Evolve(state, (IAssetEvent)EventSerializer.Instance.Deserialize(e.Type, e.Data)); }
                        catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidCastException or NotSupportedException)
                        {
                            broken = $"{e.Where}: the Domain cannot apply it ({ex.Message})";
                            break;
                        }
                    }
                    if (broken is not null) { failures.Add(broken); continue; }
                    if (!state.Equals(expected)) failures.Add($"{BundleFormat.State}: replaying {events.Count} events of {stream} gives {Describe(state, expected)}");
                    else replayed++;
                }
            }
            Add("replay", failures, $"{replayed} asset{(replayed == 1 ? "" : "s")} replayed through the Domain reach the state in {BundleFormat.State}");
        }

        static string Describe(AssetState actual, AssetState? expected)
        {
            if (expected is null) return "a state, but the file has null";
            var a = JsonSerializer.SerializeToElement(actual, EventSerializer.Options);
            var b = JsonSerializer.SerializeToElement(expected, EventSerializer.Options);
            var diffs = a.EnumerateObject().Where(p => !b.TryGetProperty(p.Name, out var q) || Jcs.Canonicalize(p.Value) != Jcs.Canonicalize(q))
                .Select(p => $"{p.Name} {Jcs.Canonicalize(p.Value)} (file: {(b.TryGetProperty(p.Name, out var q) ? Jcs.Canonicalize(q) : "absent")})").ToList();
            return diffs.Count == 0 ? "a different state" : string.Join("; ", diffs);
        }
    }
}
