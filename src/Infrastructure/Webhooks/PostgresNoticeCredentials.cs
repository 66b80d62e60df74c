using AssetLedger.Application.Ports;
using Npgsql;

namespace AssetLedger.Infrastructure.Webhooks;

/// <summary>Notice-signing credentials (migration 0023), one row per participant.</summary>
public sealed class PostgresNoticeCredentials(NpgsqlDataSource db) : INoticeCredentials
{
    public async Task Register(NoticeCredentials c, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            INSERT INTO notice_credentials (participant, secret, public_key, registered_by, registered_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (participant) DO UPDATE SET secret = EXCLUDED.secret, public_key = EXCLUDED.public_key,
                registered_by = EXCLUDED.registered_by, registered_at = EXCLUDED.registered_at
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = c.Participant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)c.Secret ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)c.PublicKey ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = c.RegisteredBy });
        cmd.Parameters.Add(new NpgsqlParameter { Value = c.RegisteredAt });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<NoticeCredentials?> Find(string participant, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT participant, secret, public_key, registered_by, registered_at FROM notice_credentials WHERE participant = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = participant });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new NoticeCredentials(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3),
            r.GetFieldValue<DateTimeOffset>(4));
    }

    public async Task<bool> Delete(string participant, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM notice_credentials WHERE participant = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = participant });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
