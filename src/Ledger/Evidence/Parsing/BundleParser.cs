using System.Globalization;
using System.Text.Json;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Ledger.Evidence.Parsing;

/// <summary>Parses every file of a bundle whose manifest was read; never throws for what the files hold.</summary>
static class BundleParser
{
    public static ParsedBundle Parse(IReadOnlyDictionary<string, byte[]> files, BundleManifest manifest, IReadOnlyList<string> entries)
    {
        var events = ParseEvents(files, BundleFormat.Events);
        var participants = ParseEvents(files, BundleFormat.Participants);
        var devices = ParseEvents(files, BundleFormat.Devices);
        var main = Events(events);
        var participantEvents = Events(participants);
        var deviceEvents = Events(devices);
        var (checkpointFiles, checkpoints) = ParseCheckpoints(files, manifest);
        var (proofLines, proofs) = ParseProofs(ParsedBundle.Text(files, BundleFormat.Proofs) ?? "");
        return new ParsedBundle(files, manifest, [events, participants, devices], main, participantEvents, deviceEvents, Merge([.. main, .. participantEvents, .. deviceEvents]),
            checkpointFiles, checkpoints, proofLines, proofs, ParseConsistency(ParsedBundle.Text(files, BundleFormat.Consistency) ?? ""),
            ParseJson(ParsedBundle.Text(files, BundleFormat.Anchors) ?? "", root => root),
            ParseJson<IReadOnlyDictionary<string, JsonElement>>(ParsedBundle.Text(files, BundleFormat.State) ?? "",
                root => root.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)),
            ParseCosignatures(ParsedBundle.Text(files, BundleFormat.Cosignatures) ?? ""), entries);
    }

    static List<CosignatureLine> ParseCosignatures(string text)
    {
        var lines = new List<CosignatureLine>();
        var all = text.Split('\n');
        for (var i = 0; i < all.Length; i++)
        {
            if (all[i].Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(all[i]);
                var r = doc.RootElement;
                lines.Add(new CosignatureLine(i + 1, r.GetProperty("witness").GetString(), r.GetProperty("treeSize").GetInt64(), r.GetProperty("cosignature").GetString(), null));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                lines.Add(new CosignatureLine(i + 1, null, 0, null, e.Message));
            }
        }
        return lines;
    }

    static List<BundleEvent> Events(EventFile file) => [.. file.Lines.Where(l => l.Event is not null).Select(l => l.Event!)];

    /// <summary>Each line that ends in a newline; the text after the last newline is not a line.</summary>
    static EventFile ParseEvents(IReadOnlyDictionary<string, byte[]> files, string file)
    {
        var text = ParsedBundle.Text(files, file);
        if (text is null) return new EventFile(file, false, false, []);
        var lines = text.Split('\n');
        var parsed = new List<EventLine>();
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var (ev, error) = ParseEvent(file, i + 1, lines[i]);
            parsed.Add(new EventLine(i + 1, ev, error));
        }
        return new EventFile(file, true, lines[^1].Length != 0, parsed);
    }

    static (BundleEvent?, string?) ParseEvent(string file, int line, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var env = root.GetProperty("envelope");
            var previous = env.GetProperty("previousHash");
            var recordedAt = root.GetProperty("recordedAt").GetString()!;
            return (new BundleEvent(file, line, root.GetProperty("position").GetInt64(),
                DateTimeOffset.Parse(recordedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), recordedAt,
                root.GetProperty("hash").GetString()!, env.GetRawText(),
                env.GetProperty("streamId").GetString()!, env.GetProperty("version").GetInt64(), env.GetProperty("eventId").GetGuid(),
                env.GetProperty("type").GetString()!, env.GetProperty("schemaVersion").GetInt32(),
                env.GetProperty("data").GetRawText(), env.GetProperty("metadata").GetRawText(),
                previous.ValueKind == JsonValueKind.Null ? null : previous.GetString()), null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            return (null, e.Message);
        }
    }

    static BundleStreams Merge(IReadOnlyList<BundleEvent> all)
    {
        var streams = new Dictionary<string, List<BundleEvent>>(StringComparer.Ordinal);
        var byPosition = new Dictionary<long, BundleEvent>();
        var overlaps = new List<(BundleEvent, BundleEvent)>();
        foreach (var e in all)
        {
            if (byPosition.TryGetValue(e.Position, out var other))
            {
                if (other.EventId != e.EventId || other.Hash != e.Hash) overlaps.Add((e, other));
                continue;
            }
            byPosition[e.Position] = e;
            if (!streams.TryGetValue(e.StreamId, out var list)) streams[e.StreamId] = list = [];
            list.Add(e);
        }
        foreach (var list in streams.Values) list.Sort((a, b) => a.Version.CompareTo(b.Version));
        return new BundleStreams(streams, overlaps);
    }

    static (List<CheckpointFile>, Dictionary<long, Checkpoint>) ParseCheckpoints(IReadOnlyDictionary<string, byte[]> files, BundleManifest manifest)
    {
        var parsed = new List<CheckpointFile>();
        var checkpoints = new Dictionary<long, Checkpoint>();
        foreach (var path in files.Keys.Where(p => p.StartsWith(BundleFormat.CheckpointDirectory, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var note = ParsedBundle.Text(files, path)!;
            var name = path[BundleFormat.CheckpointDirectory.Length..];
            if (!name.EndsWith(".txt", StringComparison.Ordinal) || !long.TryParse(name[..^4], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                parsed.Add(new CheckpointFile(path, null, null, null, null));
                continue;
            }
            var opened = SignedNote.Open(note, manifest.LedgerKey);
            var text = opened.Text ?? (note.LastIndexOf("\n\n", StringComparison.Ordinal) is var split and >= 0 ? note[..(split + 1)] : note);
            CheckpointBody body;
            try { body = CheckpointBody.Parse(text); }
            catch (FormatException e)
            {
                parsed.Add(new CheckpointFile(path, size, opened, null, e.Message));
                continue;
            }
            var file = new CheckpointFile(path, size, opened, body, null);
            parsed.Add(file);
            checkpoints[size] = new Checkpoint(path, size, body.RootHash, CheckpointBody.NoteHash(note), body.Timestamp,
                !file.Problems(manifest.Origin).Any(), note, body.PreviousHash);
        }
        return (parsed, checkpoints);
    }

    static (List<ProofLine>, Dictionary<long, InclusionProof>) ParseProofs(string text)
    {
        var lines = new List<ProofLine>();
        var proofs = new Dictionary<long, InclusionProof>();
        var split = text.Split('\n');
        for (var i = 0; i < split.Length; i++)
        {
            if (split[i].Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(split[i]);
                var r = doc.RootElement;
                var p = new InclusionProof(i + 1, r.GetProperty("position").GetInt64(), r.GetProperty("leafIndex").GetInt64(), r.GetProperty("treeSize").GetInt64(),
                    r.GetProperty("path").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList(),
                    r.TryGetProperty("firstCheckpoint", out var f) ? f.GetInt64() : null);
                lines.Add(new ProofLine(i + 1, p, !proofs.TryAdd(p.Position, p), null));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
            {
                lines.Add(new ProofLine(i + 1, null, false, e.Message));
            }
        }
        return (lines, proofs);
    }

    static List<ConsistencyLine> ParseConsistency(string text)
    {
        var lines = new List<ConsistencyLine>();
        var split = text.Split('\n');
        for (var i = 0; i < split.Length; i++)
        {
            if (split[i].Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(split[i]);
                var r = doc.RootElement;
                var (from, to) = (r.GetProperty("from").GetInt64(), r.GetProperty("to").GetInt64());
                var path = r.GetProperty("path").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
                lines.Add(new ConsistencyLine(i + 1, from, to, path, null));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
            {
                lines.Add(new ConsistencyLine(i + 1, 0, 0, null, e.Message));
            }
        }
        return lines;
    }

    /// <summary>A JSON file read into <paramref name="read"/>'s result, which outlives the document.</summary>
    static Parsed<T> ParseJson<T>(string text, Func<JsonElement, T> read)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return new Parsed<T>(read(doc.RootElement.Clone()), null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { return new Parsed<T>(default, e.Message); }
    }
}
