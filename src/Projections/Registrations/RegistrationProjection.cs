using AssetLedger.Application.Ports;
using AssetLedger.Domain.Registrations;
using AssetLedger.Ledger.Serialization;
using Npgsql;

namespace AssetLedger.Projections.Registrations;

/// <summary>
/// Feeds registrations: one row per registration, folded again from its own (short) stream up to the batch's end and
/// upserted, as participants are, so a row is never a partial state.
/// </summary>
sealed class RegistrationProjection(IEventStore store) : IProjection
{
    public string Name => "registrations";
    public IReadOnlyList<string> Tables { get; } = ["registrations"];

    public async Task Apply(NpgsqlConnection conn, IReadOnlyList<LogEvent> events, CancellationToken ct)
    {
        var touched = events.Where(e => e.Event is IRegistrationEvent).Select(e => e.Stored.StreamId).Distinct().ToArray();
        if (touched.Length == 0) return;
        var upTo = events[^1].Position;
        var rows = new List<RegistrationRow>();
        foreach (var stream in touched)
        {
            var (state, made, last) = (RegistrationState.Initial, 0L, 0L);
            foreach (var stored in await store.ReadStream(stream, 1, int.MaxValue, ct))
            {
                if (stored.Position > upTo) break;
                state = RegistrationState.Evolve(state, (IRegistrationEvent)EventSerializer.Instance.Deserialize(stored.Type, stored.Data));
                if (made == 0) made = stored.Position;
                last = stored.Position;
            }
            if (!state.Exists) continue;
            rows.Add(new RegistrationRow(state.Id.Value, state.Number, state.Registrant.Value, state.Debtor!.Name, state.Debtor.CreditCode,
                state.Collateral!.Kind.ToString(), state.Collateral.Asset?.Value, state.Collateral.Description, state.MadeAt, made, state.ExpiresAt,
                state.Cancelled, state.Dispute?.By.Value, state.Dispute?.LapsesAt, state.Dispute?.CourtCase, state.Version, last));
        }
        await using var write = new NpgsqlBatch(conn);
        write.AddWithRows("""
            INSERT INTO registrations SELECT * FROM jsonb_populate_recordset(null::registrations, $1)
            ON CONFLICT (registration_id) DO UPDATE SET debtor_name = excluded.debtor_name, debtor_credit_code = excluded.debtor_credit_code,
                collateral_description = excluded.collateral_description, expires_at = excluded.expires_at, cancelled = excluded.cancelled,
                dispute_by = excluded.dispute_by, dispute_lapses_at = excluded.dispute_lapses_at, court_case = excluded.court_case,
                version = excluded.version, last_position = excluded.last_position
            """, rows);
        await write.ExecuteNonQueryAsync(ct);
    }
}

sealed record RegistrationRow(Guid RegistrationId, string Number, string RegistrantId, string DebtorName, string DebtorCreditCode, string CollateralKind,
    Guid? AssetId, string? CollateralDescription, DateTimeOffset MadeAt, long MadePosition, DateTimeOffset ExpiresAt, bool Cancelled,
    string? DisputeBy, DateTimeOffset? DisputeLapsesAt, string? CourtCase, long Version, long LastPosition);
