using AssetLedger.Application.Ports;
using AssetLedger.Domain.Common;
using Npgsql;

namespace AssetLedger.Infrastructure.Security;

/// <summary>
/// <see cref="IUserDirectory"/> on the event log itself (the user-created events, through a partial index from
/// migration 0012), so a user recorded a moment ago is never missed as a projection could miss it.
/// </summary>
public sealed class PostgresUserDirectory(NpgsqlDataSource db) : IUserDirectory
{
    public async Task<IReadOnlyList<string>> LoginsOf(ParticipantId participant, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT DISTINCT data->>'login' FROM events
            WHERE type = 'user-created' AND data->>'participant' = $1
            """);
        cmd.Parameters.Add(new() { Value = participant.Value });
        var logins = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) logins.Add(r.GetString(0));
        return logins;
    }
}
