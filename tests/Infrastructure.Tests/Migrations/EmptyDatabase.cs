using System.Reflection;
using AssetLedger.Infrastructure.Tests.Support;
using DbUp;
using DbUp.Engine;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Migrations;

/// <summary>An empty database on the test cluster (no migration run), dropped at the end.</summary>
sealed class EmptyDatabase : IAsyncDisposable
{
    public string ConnectionString { get; }
    readonly string _name = "m_" + Guid.NewGuid().ToString("N")[..16];

    EmptyDatabase() => ConnectionString = new NpgsqlConnectionStringBuilder(PostgresDatabase.ServerConnectionString) { Database = _name }.ConnectionString;

    public static async Task<EmptyDatabase> Create()
    {
        var db = new EmptyDatabase();
        await Admin($"CREATE DATABASE {db._name}");
        return db;
    }

    /// <summary>
    /// Runs the frozen scripts of the old layout (Migrations/OldLayout) up to and including <paramref name="through"/>, under
    /// the names the old migrator journaled them by, as a database migrated by an older release would be.
    /// </summary>
    public void MigrateWithTheOldLayout(string through = "9999")
    {
        var assembly = Assembly.GetExecutingAssembly();
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".OldLayout.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (File: n[(n.IndexOf(".OldLayout.", StringComparison.Ordinal) + ".OldLayout.".Length)..], Resource: n))
            .Where(s => string.CompareOrdinal(s.File, through) <= 0 || s.File.StartsWith(through, StringComparison.Ordinal))
            .Select(s =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(s.Resource)!);
                return new SqlScript("AssetLedger.Infrastructure.Migrations." + s.File, reader.ReadToEnd());
            })
            .ToList();
        Assert.NotEmpty(scripts);
        var result = DeployChanges.To.PostgresqlDatabase(ConnectionString).WithScripts(scripts).WithTransactionPerScript().Build().PerformUpgrade();
        Assert.True(result.Successful, result.Error?.Message);
    }

    public async Task<List<string>> Journal()
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT scriptname FROM schemaversions ORDER BY schemaversionsid", conn);
        var names = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) names.Add(r.GetString(0));
        return names;
    }

    public async Task Execute(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T> Scalar<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Everything a migration decides, one line per object, sorted: columns (type, nullability, default, storage, in table
    /// order), indexes, constraints, triggers, functions and extensions. Two databases with equal lines have one schema.
    /// </summary>
    public async Task<List<string>> Schema()
    {
        const string sql = """
            SELECT 'column ' || c.relname || '.' || lpad(a.attnum::text, 3, '0') || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
                   || ' storage ' || a.attstorage::text || ' identity ' || a.attidentity::text || ' kind ' || c.relkind::text
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
                      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL SELECT 'function ' || pg_get_functiondef(p.oid) FROM pg_proc p
                      WHERE p.pronamespace = 'public'::regnamespace
                        AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = p.oid AND e.deptype = 'e')
            UNION ALL SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
            UNION ALL SELECT 'sequence ' || sequencename || ' ' || data_type FROM pg_sequences WHERE schemaname = 'public'
            """;
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var lines = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) lines.Add(r.GetString(0));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Admin($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    static async Task Admin(string sql)
    {
        await using var admin = new NpgsqlConnection(PostgresDatabase.ServerConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
