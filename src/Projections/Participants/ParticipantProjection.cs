using AssetLedger.Application.Ports;
using AssetLedger.Domain.Participants;
using AssetLedger.Ledger.Serialization;
using Npgsql;

namespace AssetLedger.Projections.Participants;

/// <summary>
/// Feeds participants: one row per participant, its current status and roles. A participant's stream is short, so
/// each touched participant is folded again from its own events up to the batch's end and upserted — no partial state.
/// The events come through the event store's port, like every read of the log from here.
/// </summary>
sealed class ParticipantProjection(IEventStore store) : IProjection
{
    public string Name => "participants";
    public IReadOnlyList<string> Tables { get; } = ["participants"];

    public async Task Apply(NpgsqlConnection conn, IReadOnlyList<LogEvent> events, CancellationToken ct)
    {
        var touched = events.Where(e => e.Event is IParticipantEvent).Select(e => e.Stored.StreamId).Distinct().ToArray();
        if (touched.Length == 0) return;
        var upTo = events[^1].Position;
        var states = new Dictionary<string, (ParticipantState State, DateTimeOffset At, long Position, long Changed)>();
        // Committed events only (the batch's own are), so the store's connection sees what this transaction's would have.
        foreach (var stream in touched)
            foreach (var stored in await store.ReadStream(stream, 1, int.MaxValue, ct))
            {
                if (stored.Position > upTo) break;
                var e = (IParticipantEvent)EventSerializer.Instance.Deserialize(stored.Type, stored.Data);
                states[stream] = states.TryGetValue(stream, out var s)
                    ? (ParticipantState.Evolve(s.State, e), s.At, s.Position, stored.Position)
                    : (ParticipantState.Evolve(ParticipantState.Initial, e), e.At, stored.Position, stored.Position);
            }
        var rows = states.Values.Select(x => new ParticipantRow(x.State.Id.Value, x.State.Name, x.State.Roles.Select(r => r.ToString()).ToArray(), x.At, x.Position,
            x.State.Version, x.State.Status.ToString(), x.State.Suspended, x.State.CreditCode, x.State.SigningKeyId, x.Changed)).ToList();
        await using var write = new NpgsqlBatch(conn);
        write.AddWithRows("""
            INSERT INTO participants SELECT * FROM jsonb_populate_recordset(null::participants, $1)
            ON CONFLICT (participant_id) DO UPDATE SET name = excluded.name, roles = excluded.roles, version = excluded.version,
                status = excluded.status, suspended = excluded.suspended, credit_code = excluded.credit_code, signing_key_id = excluded.signing_key_id,
                changed_position = excluded.changed_position
            """, rows);
        await write.ExecuteNonQueryAsync(ct);
    }
}

sealed record ParticipantRow(string ParticipantId, string Name, string[] Roles, DateTimeOffset RegisteredAt, long RegisteredPosition, long Version,
    string Status, bool Suspended, string? CreditCode, string? SigningKeyId, long ChangedPosition);
