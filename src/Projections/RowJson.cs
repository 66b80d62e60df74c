using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace AssetLedger.Projections;

/// <summary>
/// Rows travel to and from PostgreSQL as JSON arrays whose member names are the column names
/// (snake_case of the row's properties): one parameter inserts a whole batch through
/// <c>jsonb_populate_recordset(null::table, $1)</c>, and <c>to_jsonb(row)</c> reads rows back.
/// </summary>
static class RowJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    public static NpgsqlParameter Parameter<T>(IEnumerable<T> rows) =>
        new() { Value = JsonSerializer.Serialize(rows, Options), NpgsqlDbType = NpgsqlDbType.Jsonb };

    /// <summary>Adds <c>INSERT INTO table SELECT * FROM jsonb_populate_recordset(…)</c> for the rows, if there are any.</summary>
    public static void AddInsert<T>(this NpgsqlBatch batch, string table, IReadOnlyCollection<T> rows)
    {
        if (rows.Count == 0) return;
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"INSERT INTO {table} SELECT * FROM jsonb_populate_recordset(null::{table}, $1)") { Parameters = { Parameter(rows) } });
    }

    /// <summary>Adds a command whose only parameter is the rows as a JSON array, if there are any.</summary>
    public static void AddWithRows<T>(this NpgsqlBatch batch, string sql, IReadOnlyCollection<T> rows)
    {
        if (rows.Count == 0) return;
        batch.BatchCommands.Add(new NpgsqlBatchCommand(sql) { Parameters = { Parameter(rows) } });
    }

    public static async Task<List<T>> Read<T>(NpgsqlConnection conn, string sql, object parameter, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { Parameters = { new NpgsqlParameter { Value = parameter } } };
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), Options)!);
        return rows;
    }
}
