using System.Data;
using AssetLedger.Projections.Trace;
using Dapper;
using Npgsql;

namespace AssetLedger.Projections.Registrations;

/// <summary>What a search asks for: exactly one of a debtor's name, its unified social credit code, or an asset's natural key.</summary>
public sealed record RegistrationCriteria(string? DebtorName, string? CreditCode, string? NaturalKey);

/// <summary>A registration in force, as the search shows it; <c>Disputed</c> is judged at the search's time.</summary>
public sealed record RegistrationView
{
    public Guid RegistrationId { get; init; }
    public required string Number { get; init; }
    public required string RegistrantId { get; init; }
    public required string DebtorName { get; init; }
    public required string DebtorCreditCode { get; init; }
    public required string CollateralKind { get; init; }
    public Guid? AssetId { get; init; }
    public string? CollateralDescription { get; init; }
    public DateTimeOffset MadeAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public bool Cancelled { get; init; }
    public string? DisputeBy { get; init; }
    public DateTimeOffset? DisputeLapsesAt { get; init; }
    public string? CourtCase { get; init; }
    public long Version { get; init; }
    public bool Disputed { get; init; }
}

/// <summary>A pledge: an asset out at a venue for financing, found through its owner (the pledgor) or its key.</summary>
public sealed record PledgeView
{
    public long LockId { get; init; }
    public Guid AssetId { get; init; }
    public required string NaturalKey { get; init; }
    public required string OwnerId { get; init; }
    public required string VenueId { get; init; }
    public DateTimeOffset PlacedAt { get; init; }
}

/// <summary>The answer of one search, read in one snapshot, and the log position the read models include.</summary>
public sealed record EncumbranceSearch(IReadOnlyList<RegistrationView> Registrations, IReadOnlyList<PledgeView> Pledges, long ProjectedThrough, DateTimeOffset TakenAt);

/// <summary>
/// The registrations search (查询): registrations in force (not cancelled, not expired at the time of the search) and
/// pledges (assets out for financing), by debtor name or credit code, or by asset key.
/// </summary>
public sealed class RegistrationQueries(NpgsqlDataSource db)
{
    /// <summary>Most rows of each kind one search answers; a search beyond it is narrowed, never cut silently.</summary>
    public const int MaxResults = 500;

    const string Columns = """
        r.registration_id AS "RegistrationId", r.number AS "Number", r.registrant_id AS "RegistrantId", r.debtor_name AS "DebtorName",
        r.debtor_credit_code AS "DebtorCreditCode", r.collateral_kind AS "CollateralKind", r.asset_id AS "AssetId",
        r.collateral_description AS "CollateralDescription", r.made_at AS "MadeAt", r.expires_at AS "ExpiresAt", r.cancelled AS "Cancelled",
        r.dispute_by AS "DisputeBy", r.dispute_lapses_at AS "DisputeLapsesAt", r.court_case AS "CourtCase", r.version AS "Version",
        (r.dispute_by IS NOT NULL AND (r.court_case IS NOT NULL OR r.dispute_lapses_at > now())) AS "Disputed"
        """;

    const string PledgeColumns = """
        e.placed_position AS "LockId", a.asset_id AS "AssetId", a.natural_key AS "NaturalKey", a.owner_id AS "OwnerId", e.counterparty_id AS "VenueId", e.placed_at AS "PlacedAt"
        """;

    const string OpenPledge = "e.kind = 'Custody' AND e.purpose = 'Financing' AND e.lifted_position IS NULL";

    public async Task<EncumbranceSearch> Search(RegistrationCriteria c, CancellationToken ct)
    {
        var (registrations, pledges) = c switch
        {
            { CreditCode: not null } => ("r.debtor_credit_code = @value", "JOIN participants p ON p.participant_id = a.owner_id WHERE p.credit_code = @value"),
            { DebtorName: not null } => ("lower(r.debtor_name) = lower(@value)", "JOIN participants p ON p.participant_id = a.owner_id WHERE lower(p.name) = lower(@value)"),
            _ => ("r.asset_id = (SELECT asset_id FROM assets WHERE natural_key = @value)", "WHERE a.natural_key = @value"),
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(
            $"""
            {TraceQueries.SnapshotSql}
            SELECT {Columns} FROM registrations r
            WHERE {registrations} AND NOT r.cancelled AND r.expires_at > now() ORDER BY r.made_position LIMIT {MaxResults};
            SELECT {PledgeColumns} FROM assets a JOIN encumbrances e ON e.asset_id = a.asset_id AND {OpenPledge}
            {pledges} ORDER BY e.placed_position LIMIT {MaxResults};
            """, new { value = c.CreditCode ?? c.DebtorName ?? c.NaturalKey }, tx, cancellationToken: ct));
        var snapshot = await grid.ReadSingleAsync<TraceQueries.SnapshotRow>();
        var found = (await grid.ReadAsync<RegistrationView>()).AsList();
        var locks = (await grid.ReadAsync<PledgeView>()).AsList();
        await tx.CommitAsync(ct);
        return new EncumbranceSearch(found, locks, snapshot.ProjectedThrough, snapshot.TakenAt);
    }

    /// <summary>One registration by id, in force or not; null when the read models do not know it (yet).</summary>
    public async Task<RegistrationView?> Find(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<RegistrationView>(new CommandDefinition(
            $"SELECT {Columns} FROM registrations r WHERE r.registration_id = @id", new { id }, cancellationToken: ct));
    }
}
