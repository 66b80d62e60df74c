using System.Globalization;
using AssetLedger.Ledger.Merkle;
using AssetLedger.Ledger.Notes;

namespace AssetLedger.Ledger.Witness;

/// <summary>A checkpoint as a witness keeps it: the log's origin, size, root and the signed note as the log sent it.</summary>
public sealed record WitnessedCheckpoint(string Origin, long Size, byte[] Root, string Note);

/// <summary>
/// Two checkpoints signed by the same log key that cannot both be honest: the one the witness cosigned, and one of the
/// same size with another root, or a larger one that the log could not prove consistent with it (the proof it sent is kept).
/// </summary>
public sealed record Equivocation(string Origin, string Reason, WitnessedCheckpoint Cosigned, WitnessedCheckpoint Conflicting,
    long OldSize, IReadOnlyList<byte[]> Proof, DateTimeOffset SeenAt);

/// <summary>
/// What the witness answers (tlog-witness status codes): 200 with the checkpoint to cosign and keep; 400 malformed;
/// 403 no trusted signature; 404 unknown origin; 409 old size is not the witness's (with its size) or the same size has
/// another root; 422 the consistency proof does not hold. An equivocation is kept whenever the log signed a conflict.
/// </summary>
public sealed record WitnessVerdict(int Status, string Message, long? LatestSize = null, WitnessedCheckpoint? Accepted = null, Equivocation? Equivocation = null)
{
    public bool Cosign => Status == 200;
}

/// <summary>The witness's decision, pure: the caller reads its state, calls this, and persists the result atomically with the read.</summary>
public static class WitnessDecision
{
    /// <param name="logKey">The key the witness trusts for an origin; null if it does not witness that origin.</param>
    /// <param name="latest">The latest checkpoint it cosigned for an origin; null if none.</param>
    public static WitnessVerdict Decide(string body, Func<string, NoteVerifier?> logKey, Func<string, WitnessedCheckpoint?> latest, DateTimeOffset now)
    {
        AddCheckpointRequest request;
        WitnessedCheckpoint submitted;
        try
        {
            request = AddCheckpointRequest.Parse(body);
            submitted = ReadCheckpoint(request.Note);
        }
        catch (FormatException e) { return new WitnessVerdict(400, e.Message); }

        if (logKey(submitted.Origin) is not { } key) return new WitnessVerdict(404, $"this witness does not witness the log {submitted.Origin}");
        var signature = SignedNote.Open(request.Note, key);
        if (!signature.IsValid) return new WitnessVerdict(403, $"no valid signature by the log's key {key.VerifierKey} ({signature.Message})");
        if (request.OldSize > submitted.Size) return new WitnessVerdict(400, $"old size {request.OldSize} is larger than the checkpoint's {submitted.Size}");

        var known = latest(submitted.Origin);
        var knownSize = known?.Size ?? 0;
        if (request.OldSize != knownSize)
            return new WitnessVerdict(409, $"old size {request.OldSize} is not the size of the latest cosigned checkpoint, {knownSize}", knownSize);

        if (known is not null && submitted.Size == known.Size)
            return submitted.Root.AsSpan().SequenceEqual(known.Root)
                ? new WitnessVerdict(200, "the checkpoint cosigned before", known.Size, known)
                : Conflict(409, "the log signed two different roots for the same tree size", known, submitted, request, now);

        if (known is null)
            return request.Proof.Count == 0 ? new WitnessVerdict(200, "the first checkpoint of this log", submitted.Size, submitted)
                : new WitnessVerdict(422, "a proof from size 0 must be empty");

        var check = MerkleVerifier.VerifyConsistency(known.Size, submitted.Size, known.Root, submitted.Root, request.Proof);
        return check.IsValid
            ? new WitnessVerdict(200, $"consistent with the checkpoint of {known.Size}", submitted.Size, submitted)
            : Conflict(422, $"the checkpoint of {submitted.Size} is not proven to extend the cosigned one of {known.Size}: {check}", known, submitted, request, now);
    }

    static WitnessVerdict Conflict(int status, string message, WitnessedCheckpoint known, WitnessedCheckpoint submitted, AddCheckpointRequest request, DateTimeOffset now) =>
        new(status, message, known.Size, null, new Equivocation(known.Origin, message, known, submitted, request.OldSize, request.Proof, now));

    /// <summary>The first three lines of a checkpoint note (origin, size, root): all a witness vouches for.</summary>
    public static WitnessedCheckpoint ReadCheckpoint(string note)
    {
        var split = note.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) throw new FormatException("the checkpoint is not a signed note");
        var lines = note[..split].Split('\n');
        if (lines.Length < 3 || lines[0].Length == 0) throw new FormatException("a checkpoint has an origin, a size and a root line");
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || (lines[1].Length > 1 && lines[1][0] == '0'))
            throw new FormatException($"'{lines[1]}' is not a tree size");
        byte[] root;
        try { root = Convert.FromBase64String(lines[2]); }
        catch (FormatException) { throw new FormatException("the root line is not base64"); }
        if (root.Length != 32) throw new FormatException("the root is not 32 bytes");
        return new WitnessedCheckpoint(lines[0], size, root, note);
    }

    /// <summary>The checkpoint's text, without its signature lines: what a cosignature covers.</summary>
    public static string Text(string note) => note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)];
}
