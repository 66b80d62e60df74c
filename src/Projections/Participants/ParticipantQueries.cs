using AssetLedger.Domain.Common;
using AssetLedger.Domain.Participants;
using Dapper;
using Npgsql;

namespace AssetLedger.Projections.Participants;

/// <summary>A participant as the read model lists it (an exact view is its stream: ParticipantDirectory.Load).</summary>
public sealed record ParticipantSummary(string Id, string Name, IReadOnlyList<string> Roles, DateTimeOffset RegisteredAt, long Version,
    string Status, bool Suspended, string? CreditCode);

/// <param name="NextCursor">Pass back for the next page; null on the last page.</param>
public sealed record ParticipantPage(IReadOnlyList<ParticipantSummary> Items, string? NextCursor);

/// <summary>
/// Reads of the participants read model. The list pages by participant id (the primary key); filtered by status it
/// pages in the order participants came (registered position), so the operator's queue of applications is oldest first.
/// </summary>
public sealed class ParticipantQueries(NpgsqlDataSource db)
{
    public const int MaxLimit = 500;
    const string ListName = "participants", StatusListName = "participants-by-status";
    const string Columns = """
        participant_id AS "Id", name AS "Name", roles AS "Roles", registered_at AS "RegisteredAt", version AS "Version",
        status AS "Status", suspended AS "Suspended", credit_code AS "CreditCode", registered_position AS "Position"
        """;

    public async Task<ParticipantSummary?> Find(ParticipantId id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM participants WHERE participant_id = @id", new { id = id.Value }, cancellationToken: ct));
        return row?.ToSummary();
    }

    /// <param name="status">Only participants in this status (an application waiting is <see cref="ParticipantStatus.Applied"/>); null for all.</param>
    /// <param name="cursor">Null (or empty) for the first page, else the previous page's <see cref="ParticipantPage.NextCursor"/>.</param>
    /// <param name="limit">Page size, clamped to 1–<see cref="MaxLimit"/>.</param>
    /// <exception cref="InvalidCursorException">The cursor is not one this list gave out.</exception>
    public async Task<ParticipantPage> List(ParticipantStatus? status, string? cursor, int limit, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        await using var conn = await db.OpenConnectionAsync(ct);
        if (status is { } s)
        {
            // The status index (status, registered_position) answers this page.
            var name = $"{StatusListName}:{s}";
            var afterPosition = Cursor.DecodePosition(name, cursor);
            var rows = (await conn.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM participants WHERE status = @status {(afterPosition is null ? "" : "AND registered_position > @afterPosition")} ORDER BY registered_position LIMIT @take",
                new { status = s.ToString(), afterPosition, take = limit + 1 }, cancellationToken: ct))).ToList();
            return Page(rows, limit, r => Cursor.EncodePosition(name, r.Position));
        }
        var after = Cursor.Decode(ListName, cursor);
        var all = (await conn.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM participants {(after is null ? "" : "WHERE participant_id > @after")} ORDER BY participant_id LIMIT @take",
            new { after, take = limit + 1 }, cancellationToken: ct))).ToList();
        return Page(all, limit, r => Cursor.Encode(ListName, r.Id));
    }

    static ParticipantPage Page(List<Row> rows, int limit, Func<Row, string> cursorOf)
    {
        if (rows.Count <= limit) return new ParticipantPage(rows.Select(r => r.ToSummary()).ToList(), null);
        rows.RemoveAt(limit);
        return new ParticipantPage(rows.Select(r => r.ToSummary()).ToList(), cursorOf(rows[^1]));
    }

    sealed record Row
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string[] Roles { get; init; } = [];
        public DateTimeOffset RegisteredAt { get; init; }
        public long Version { get; init; }
        public string Status { get; init; } = "";
        public bool Suspended { get; init; }
        public string? CreditCode { get; init; }
        public long Position { get; init; }
        public ParticipantSummary ToSummary() => new(Id, Name, Roles, RegisteredAt, Version, Status, Suspended, CreditCode);
    }
}
