using AssetLedger.Domain.Participants;
using Npgsql;

namespace AssetLedger.Projections.Participants;

/// <summary>Feeds participants: one row per registered participant.</summary>
sealed class ParticipantProjection : IProjection
{
    public string Name => "participants";
    public IReadOnlyList<string> Tables { get; } = ["participants"];

    public async Task Apply(NpgsqlConnection conn, IReadOnlyList<LogEvent> events, CancellationToken ct)
    {
        var rows = new List<ParticipantRow>();
        foreach (var e in events)
        {
            switch (e.Event)
            {
                case ParticipantRegistered r:
                    rows.Add(new ParticipantRow(r.Participant.Value, r.Name, r.Roles.Select(x => x.ToString()).ToArray(), r.At, e.Position, e.Stored.Version));
                    break;
                case IParticipantEvent other:
                    throw new InvalidOperationException($"The participant projection has no fold for {other.GetType().Name}.");
            }
        }
        if (rows.Count == 0) return;
        await using var write = new NpgsqlBatch(conn);
        write.AddInsert("participants", rows);
        await write.ExecuteNonQueryAsync(ct);
    }
}

sealed record ParticipantRow(string ParticipantId, string Name, string[] Roles, DateTimeOffset RegisteredAt, long RegisteredPosition, long Version);
