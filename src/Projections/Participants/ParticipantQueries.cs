using AssetLedger.Domain.Common;
using Dapper;
using Npgsql;

namespace AssetLedger.Projections.Participants;

public sealed record ParticipantView(string Id, string Name, IReadOnlyList<string> Roles, DateTimeOffset RegisteredAt, long Version);

/// <param name="NextCursor">Pass back for the next page; null on the last page.</param>
public sealed record ParticipantPage(IReadOnlyList<ParticipantView> Items, string? NextCursor);

/// <summary>Reads of the participants read model; the list pages by participant id (the primary key).</summary>
public sealed class ParticipantQueries(NpgsqlDataSource db)
{
    public const int MaxLimit = 500;
    const string ListName = "participants";
    const string Columns = """participant_id AS "Id", name AS "Name", roles AS "Roles", registered_at AS "RegisteredAt", version AS "Version" """;

    public async Task<ParticipantView?> Find(ParticipantId id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM participants WHERE participant_id = @id", new { id = id.Value }, cancellationToken: ct));
        return row?.ToView();
    }

    /// <param name="cursor">Null (or empty) for the first page, else the previous page's <see cref="ParticipantPage.NextCursor"/>.</param>
    /// <param name="limit">Page size, clamped to 1–<see cref="MaxLimit"/>.</param>
    /// <exception cref="InvalidCursorException">The cursor is not one this list gave out.</exception>
    public async Task<ParticipantPage> List(string? cursor, int limit, CancellationToken ct)
    {
        var after = Cursor.Decode(ListName, cursor);
        limit = Math.Clamp(limit, 1, MaxLimit);
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM participants {(after is null ? "" : "WHERE participant_id > @after")} ORDER BY participant_id LIMIT @take",
            new { after, take = limit + 1 }, cancellationToken: ct))).Select(r => r.ToView()).ToList();
        if (rows.Count <= limit) return new ParticipantPage(rows, null);
        rows.RemoveAt(limit);
        return new ParticipantPage(rows, Cursor.Encode(ListName, rows[^1].Id));
    }

    sealed record Row
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string[] Roles { get; init; } = [];
        public DateTimeOffset RegisteredAt { get; init; }
        public long Version { get; init; }
        public ParticipantView ToView() => new(Id, Name, Roles, RegisteredAt, Version);
    }
}
