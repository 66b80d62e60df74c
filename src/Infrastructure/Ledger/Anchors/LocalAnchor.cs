using System.Globalization;
using System.Text.Json;
using AssetLedger.Application.Ports;
using AssetLedger.Ledger.Anchors;
using AssetLedger.Ledger.Checkpoints;
using AssetLedger.Ledger.Notes;
using Npgsql;

namespace AssetLedger.Infrastructure.Ledger.Anchors;

/// <summary>
/// The default anchor, embedded: an append-only log in PostgreSQL (<c>local_anchor_log</c>) whose entries
/// are signed notes by the separate anchor key, each naming a checkpoint and the previous entry's hash
/// (<see cref="LocalAnchorLog.EntryText"/>).
/// </summary>
public sealed class LocalAnchor(NpgsqlDataSource db, NoteSigner anchorKey, IClock clock) : IAnchor
{
    const long AppendLockKey = 0x4C65_6467_4C6F_6341; // "LedgLocA"
    public const string AnchorName = LocalAnchorLog.AnchorName;

    public string Name => AnchorName;

    public async Task<AnchorReceipt> Submit(CheckpointToAnchor checkpoint, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AppendLockKey})", conn, tx))
            await lockCmd.ExecuteNonQueryAsync(ct);

        var last = await Entries(conn, tx, "ORDER BY seq DESC LIMIT 1", null, ct);
        var same = await Entries(conn, tx, "WHERE tree_size = $1", checkpoint.TreeSize, ct);
        if (same.Count == 1)
        {
            if (!same[0].CheckpointHash.SequenceEqual(Convert.FromHexString(checkpoint.CheckpointHash)))
                throw new InvalidOperationException($"The local anchor log already has a different checkpoint of size {checkpoint.TreeSize}.");
            return Receipt(same[0]);
        }
        if (last.Count == 1 && last[0].TreeSize >= checkpoint.TreeSize)
            throw new InvalidOperationException($"Checkpoints are anchored in order: {checkpoint.TreeSize} comes after {last[0].TreeSize}.");

        var seq = last.Count == 1 ? last[0].Seq + 1 : 1;
        var previous = last.Count == 1 ? last[0].EntryHash : null;
        var at = CheckpointBody.Truncate(clock.UtcNow);
        var text = LocalAnchorLog.EntryText(anchorKey.Name, seq, checkpoint.TreeSize, Convert.FromHexString(checkpoint.RootHash), Convert.FromHexString(checkpoint.CheckpointHash), at, previous);
        var note = SignedNote.Sign(text, anchorKey);
        var entry = new LocalAnchorEntry(seq, checkpoint.TreeSize, Convert.FromHexString(checkpoint.CheckpointHash), previous, CheckpointBody.NoteHash(note), at, note);

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO local_anchor_log (seq, tree_size, checkpoint_hash, previous_entry_hash, entry_hash, anchored_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)", conn, tx))
        {
            foreach (var v in new object[] { entry.Seq, entry.TreeSize, entry.CheckpointHash, (object?)entry.PreviousEntryHash ?? DBNull.Value, entry.EntryHash, entry.AnchoredAt, entry.Note })
                insert.Parameters.Add(new NpgsqlParameter { Value = v });
            await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return Receipt(entry);
    }

    AnchorReceipt Receipt(LocalAnchorEntry e) => new(AnchorName, e.TreeSize, $"local:{e.Seq}", e.AnchoredAt, JsonSerializer.Serialize(new
    {
        seq = e.Seq,
        entryHash = Convert.ToHexStringLower(e.EntryHash),
        previousEntryHash = e.PreviousEntryHash is null ? null : Convert.ToHexStringLower(e.PreviousEntryHash),
        note = e.Note,
        verifierKey = anchorKey.VerifierKey,
    }));

    /// <summary>The whole log, oldest first (for checks and the evidence bundle).</summary>
    public async Task<IReadOnlyList<LocalAnchorEntry>> ReadLog(long afterSeq, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Entries(conn, null, $"WHERE seq > $1 ORDER BY seq LIMIT {limit.ToString(CultureInfo.InvariantCulture)}", afterSeq, ct);
    }

    /// <summary>
    /// Checks the log from its first entry: sequence numbers 1, 2, …, each entry's signature by the anchor key,
    /// each previous-hash link, each entry hash, and increasing checkpoint sizes. Names the first bad entry.
    /// </summary>
    public async Task<(bool Ok, long? FirstBadSeq, string Message)> VerifyLog(NoteVerifier anchorVerifier, CancellationToken ct)
    {
        byte[]? previousHash = null;
        long expectedSeq = 1, lastSize = 0;
        while (true)
        {
            var page = await ReadLog(expectedSeq - 1, 1000, ct);
            if (page.Count == 0) return (true, null, $"{expectedSeq - 1} entries verified");
            foreach (var e in page)
            {
                string? problem = null;
                if (e.Seq != expectedSeq) problem = $"entry {expectedSeq} is missing";
                else if (!CheckpointBody.NoteHash(e.Note).SequenceEqual(e.EntryHash)) problem = "entry hash does not match its note";
                else if (SignedNote.Open(e.Note, anchorVerifier) is { IsValid: false } v) problem = $"signature: {v.Message}";
                else if (e.Note[..(e.Note.LastIndexOf("\n\n", StringComparison.Ordinal) + 1)] != LocalAnchorLog.EntryText(anchorVerifier.Name, e.Seq, e.TreeSize, ExtractRoot(e.Note), e.CheckpointHash, e.AnchoredAt, e.PreviousEntryHash))
                    problem = "the signed text does not match the stored columns";
                else if (!Same(e.PreviousEntryHash, previousHash)) problem = "previous-entry link is broken";
                else if (e.TreeSize <= lastSize) problem = "checkpoints are out of order";
                if (problem is not null) return (false, expectedSeq, $"local anchor entry {expectedSeq}: {problem}");
                (previousHash, lastSize, expectedSeq) = (e.EntryHash, e.TreeSize, expectedSeq + 1);
            }
        }
    }

    static byte[] ExtractRoot(string note)
    {
        var line = note.Split('\n').First(l => l.StartsWith("checkpoint ", StringComparison.Ordinal));
        return Convert.FromBase64String(line.Split(' ')[2]);
    }

    static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);

    static async Task<List<LocalAnchorEntry>> Entries(NpgsqlConnection conn, NpgsqlTransaction? tx, string where, long? arg, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT seq, tree_size, checkpoint_hash, previous_entry_hash, entry_hash, anchored_at, note FROM local_anchor_log {where}", conn, tx);
        if (arg is { } a) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        var list = new List<LocalAnchorEntry>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new LocalAnchorEntry(r.GetInt64(0), r.GetInt64(1), (byte[])r[2], r.IsDBNull(3) ? null : (byte[])r[3], (byte[])r[4], r.GetFieldValue<DateTimeOffset>(5), r.GetString(6)));
        return list;
    }
}

public sealed record LocalAnchorEntry(long Seq, long TreeSize, byte[] CheckpointHash, byte[]? PreviousEntryHash, byte[] EntryHash, DateTimeOffset AnchoredAt, string Note);
