using System.Text;
using System.Text.Json;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Ledger.Evidence.Parsing;

/// <summary>
/// An evidence bundle read once, for every check to look at: its files, its manifest and each file parsed line by line.
/// What could not be parsed is kept (with the parser's message) where it was, so each check reports it in file order.
/// </summary>
sealed record ParsedBundle(
    IReadOnlyDictionary<string, byte[]> Files,
    BundleManifest Manifest,
    IReadOnlyList<EventFile> EventFiles,
    IReadOnlyList<BundleEvent> Main,
    IReadOnlyList<BundleEvent> ParticipantEvents,
    IReadOnlyList<BundleEvent> DeviceEvents,
    BundleStreams Streams,
    IReadOnlyList<CheckpointFile> CheckpointFiles,
    IReadOnlyDictionary<long, Checkpoint> Checkpoints,
    IReadOnlyList<ProofLine> ProofLines,
    IReadOnlyDictionary<long, InclusionProof> Proofs,
    IReadOnlyList<ConsistencyLine> ConsistencyLines,
    Parsed<JsonElement> Anchors,
    Parsed<IReadOnlyDictionary<string, JsonElement>> States,
    IReadOnlyList<CosignatureLine> CosignatureLines,
    IReadOnlyList<string> Entries)
{
    public string? Text(string path) => Text(Files, path);

    public static string? Text(IReadOnlyDictionary<string, byte[]> files, string path) =>
        files.TryGetValue(path, out var b) ? new UTF8Encoding(false, false).GetString(b) : null;

    /// <summary>Every event of the three event files once (the same position may be in two), in log order.</summary>
    public IReadOnlyList<BundleEvent> AllEvents =>
        [.. Main.Concat(ParticipantEvents).Concat(DeviceEvents).GroupBy(e => e.Position).Select(g => g.First()).OrderBy(e => e.Position)];

    /// <summary>The bundle's own checkpoint (the one the manifest names), if it is in the bundle.</summary>
    public Checkpoint? MainCheckpoint => Checkpoints.GetValueOrDefault(Manifest.TreeSize);
}

/// <summary>A value read from a file, or the message of what made it unreadable.</summary>
sealed record Parsed<T>(T? Value, string? Error);

/// <summary>What <c>manifest.json</c> says, read when both its keys are verifier keys.</summary>
sealed record BundleManifest(
    string Kind, string Origin, string? AssetStream, long RangeFrom, long RangeTo, long TreeSize, string CheckpointFile,
    NoteVerifier LedgerKey, NoteVerifier AnchorKey, IReadOnlyList<ListedFile> Files, int FormatVersion = BundleFormat.Version,
    string? GeneratedAt = null)
{
    public string Subject => Kind switch { "asset" => $"asset {AssetStream}", "search" => "search certificate", _ => $"ledger positions {RangeFrom}–{RangeTo}" };
}

sealed record ListedFile(string Path, string Sha256, long Bytes);

/// <summary>An event as a bundle line carries it.</summary>
sealed record BundleEvent(string File, int Line, long Position, DateTimeOffset RecordedAt, string RecordedAtText, string Hash, string Envelope,
    string StreamId, long Version, Guid EventId, string Type, int SchemaVersion, string Data, string Metadata, string? PreviousHash)
{
    public string Where => $"{File} line {Line}: position {Position}, event {EventId} ({StreamId} v{Version})";
    public bool IsAsset => StreamId.StartsWith("asset-", StringComparison.Ordinal);
}

/// <summary>One of <c>events.jsonl</c>, <c>participants.jsonl</c> and <c>devices.jsonl</c>: each newline-terminated line, parsed or not.</summary>
sealed record EventFile(string Name, bool Present, bool LastLineUnterminated, IReadOnlyList<EventLine> Lines);

sealed record EventLine(int Line, BundleEvent? Event, string? Error);

/// <summary>
/// The event files merged: one event per position (the same event may be in both files), each stream's events by
/// version; <see cref="Overlaps"/> are the later events that claim a position another event holds.
/// </summary>
sealed record BundleStreams(IReadOnlyDictionary<string, List<BundleEvent>> ByStream, IReadOnlyList<(BundleEvent Event, BundleEvent Other)> Overlaps);

sealed record InclusionProof(int Line, long Position, long LeafIndex, long TreeSize, List<byte[]> Path, long? FirstCheckpoint);

/// <summary>A non-empty line of <c>proofs.jsonl</c>; <see cref="Duplicate"/> if an earlier line proved the same position.</summary>
sealed record ProofLine(int Line, InclusionProof? Proof, bool Duplicate, string? Error);

/// <summary>A line of <c>cosignatures.jsonl</c>: which witness (anchor name) cosigned which checkpoint, with what signature line.</summary>
sealed record CosignatureLine(int Line, string? Witness, long TreeSize, string? Cosignature, string? Error);

sealed record ConsistencyLine(int Line, long From, long To, List<byte[]>? Path, string? Error);

/// <summary>A file under <c>checkpoints/</c>: its size from the name (null if the name is not one), signature and body.</summary>
sealed record CheckpointFile(string Path, long? Size, NoteVerification? Signature, CheckpointBody? Body, string? Error)
{
    /// <summary>Why the checkpoint cannot be trusted as the ledger's checkpoint of its size, if it parsed.</summary>
    public IEnumerable<string> Problems(string origin)
    {
        if (Body is null || Signature is null) yield break;
        if (!Signature.IsValid) yield return $"{Path}: checkpoint {Body.TreeSize}: {Signature.Message}";
        if (Body.Origin != origin) yield return $"{Path}: origin {Body.Origin} is not {origin}";
        if (Body.TreeSize != Size) yield return $"{Path}: holds the checkpoint of size {Body.TreeSize}";
    }
}

sealed record Checkpoint(string File, long Size, byte[] Root, byte[] NoteHash, DateTimeOffset Timestamp, bool Valid, string Note, byte[]? PreviousHash);
