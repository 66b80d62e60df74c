using System.Globalization;
using AssetLedger.Ledger.Canonical;
using Npgsql;

namespace AssetLedger.Projections.Tests.Support;

/// <summary>
/// The read models as plain text, table by table: each row is "column=value" pairs sorted by column, so a
/// snapshot of the database and rows computed by a test compare as strings, whatever the column order.
/// </summary>
public static class Tables
{
    public static readonly string[] Names = ["assets", "asset_history", "ownership", "confirmations", "encumbrances", "participants"];

    public static string Format(object? value) => value switch
    {
        null => "∅",
        string s => s,
        bool b => b ? "true" : "false",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Guid g => g.ToString("D"),
        string[] a => string.Join(",", a),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"No format for {value.GetType().Name}."),
    };

    public static string Row(IEnumerable<KeyValuePair<string, object?>> columns) =>
        string.Join("; ", columns.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={Format(c.Value)}"));

    public static async Task<Dictionary<string, List<string>>> Snapshot(NpgsqlDataSource db)
    {
        var tables = new Dictionary<string, List<string>>();
        foreach (var table in Names)
        {
            var rows = new List<string>();
            await using var cmd = db.CreateCommand($"SELECT * FROM {table}");
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var columns = new List<KeyValuePair<string, object?>>();
                for (var i = 0; i < r.FieldCount; i++)
                {
                    object? value = r.IsDBNull(i) ? null : r.GetDataTypeName(i) switch
                    {
                        "timestamp with time zone" => r.GetFieldValue<DateTimeOffset>(i),
                        "date" => r.GetFieldValue<DateOnly>(i),
                        "jsonb" => Jcs.Canonicalize(r.GetString(i)),
                        _ => r.GetValue(i),
                    };
                    columns.Add(new(r.GetName(i), value));
                }
                rows.Add(Row(columns));
            }
            rows.Sort(StringComparer.Ordinal);
            tables[table] = rows;
        }
        return tables;
    }

    /// <summary>Asserts the two sets of tables hold the same rows, naming the first row that differs.</summary>
    public static void Equal(Dictionary<string, List<string>> expected, Dictionary<string, List<string>> actual)
    {
        foreach (var table in Names)
        {
            var e = expected[table].Order(StringComparer.Ordinal).ToList();
            var a = actual[table].Order(StringComparer.Ordinal).ToList();
            var missing = e.Except(a).FirstOrDefault();
            var extra = a.Except(e).FirstOrDefault();
            Assert.True(e.SequenceEqual(a),
                $"{table}: expected {e.Count} rows, found {a.Count}.\nfirst expected row not found: {missing}\nfirst row not expected:    {extra}");
        }
    }
}
