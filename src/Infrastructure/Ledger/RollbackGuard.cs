using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Ledger;

/// <summary>
/// Compares the published mark (<see cref="PublishedMark"/>, outside the database) with the database's checkpoints:
/// a checkpoint an anchor holds that the database lacks, or holds with another hash, means the database was restored
/// from before it. A good answer is kept for a second, so a write costs no query; a restore under a running service is
/// seen within that second.
/// </summary>
public sealed class RollbackGuard(NpgsqlDataSource db, string markFile, TimeProvider? time = null) : IRollbackGuard
{
    static readonly TimeSpan KeepGoodAnswer = TimeSpan.FromSeconds(1);
    readonly TimeProvider _time = time ?? TimeProvider.System;
    long _goodUntil;

    public async ValueTask<PublishedCheckpoint?> MissingCheckpoint(CancellationToken ct)
    {
        var now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _goodUntil)) return null;
        var missing = await Check(db, markFile, ct);
        if (missing is null) Volatile.Write(ref _goodUntil, now + (long)(KeepGoodAnswer.TotalSeconds * _time.TimestampFrequency));
        return missing;
    }

    /// <summary>The database's identity (<c>ledger_identity</c>), the key of its entry in the mark file.</summary>
    public static async Task<string> Identity(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT id::text FROM ledger_identity");
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The mark's checkpoint for this database when the database lacks it (by size and note hash), else null.</summary>
    public static async Task<PublishedCheckpoint?> Check(NpgsqlDataSource db, string markFile, CancellationToken ct)
    {
        if (PublishedMark.Read(markFile, await Identity(db, ct)) is not { } mark) return null;
        await using var cmd = db.CreateCommand("SELECT note_hash FROM checkpoints WHERE tree_size = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = mark.TreeSize });
        var hash = await cmd.ExecuteScalarAsync(ct) as byte[];
        return hash is not null && Convert.ToHexStringLower(hash) == mark.CheckpointHash ? null : mark;
    }

    /// <summary>The database's newest checkpoint, as the mark after an acknowledged loss (null when it has none).</summary>
    public static async Task<PublishedCheckpoint?> Newest(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT tree_size, note_hash, created_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new PublishedCheckpoint(r.GetInt64(0), Convert.ToHexStringLower((byte[])r[1]), "database", r.GetFieldValue<DateTimeOffset>(2));
    }
}
