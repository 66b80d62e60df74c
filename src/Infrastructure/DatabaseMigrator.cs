using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AssetLedger.Infrastructure;

/// <summary>
/// Applies the numbered SQL scripts in each owning project's Migrations/ folder with DbUp: every table is created by the one
/// project whose code reads and writes it. Several API instances may start at once, so the run holds a PostgreSQL advisory
/// lock: one migrates, the others wait and find nothing to do.
/// </summary>
public static class DatabaseMigrator
{
    const long MigrationLockKey = 0x417373_65744C65; // "AssetLe"

    /// <summary>
    /// The projects that own tables, in the order their folders run: the event store and the ledger first, as a later folder
    /// may build on them and never the other way round. A folder's scripts run in name order, after every earlier folder's.
    /// </summary>
    static readonly string[] RunOrder = ["AssetLedger.Infrastructure", "AssetLedger.Projections"];

    /// <summary>
    /// Scripts that were split out of Infrastructure's folder when each table got one owner. A database migrated before that
    /// ran their DDL under the old name (the journal holds the old name; Infrastructure's 0002 and 0010 are gone, its 0005 and
    /// 0006 keep only what Infrastructure owns), so the new name is recorded as applied instead of run again.
    /// </summary>
    static readonly (string Old, string New)[] SplitScripts =
    [
        ("AssetLedger.Infrastructure.Migrations.0002_read_models.sql", "AssetLedger.Projections.Migrations.0001_read_models.sql"),
        ("AssetLedger.Infrastructure.Migrations.0005_trace.sql", "AssetLedger.Projections.Migrations.0002_trace.sql"),
        ("AssetLedger.Infrastructure.Migrations.0006_security.sql", "AssetLedger.Projections.Migrations.0003_participant_lifecycle.sql"),
        ("AssetLedger.Infrastructure.Migrations.0010_asset_visibility.sql", "AssetLedger.Projections.Migrations.0004_asset_visibility.sql"),
    ];

    /// <param name="owners">
    /// The assemblies whose Migrations/ folders to run besides Infrastructure's (which always runs), e.g. the Projections
    /// assembly; each must be named in DatabaseMigrator's run order, which decides the order whatever the order given here.
    /// </param>
    public static async Task Migrate(string connectionString, IEnumerable<Assembly> owners, ILogger? logger = null, CancellationToken ct = default)
    {
        var folders = Folders(owners);
        connectionString = DatabaseConnections.Primary(connectionString);
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new NullLog());
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_lock(@k)", conn))
        {
            lockCmd.Parameters.AddWithValue("k", MigrationLockKey);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await RecordSplitScripts(conn, logger, ct);
            var upgrade = DeployChanges.To.PostgresqlDatabase(connectionString);
            for (var i = 0; i < folders.Count; i++)
            {
                var prefix = folders[i].GetName().Name + ".Migrations.";
                upgrade = upgrade.WithScriptsEmbeddedInAssembly(folders[i], s => s.StartsWith(prefix, StringComparison.Ordinal) && s.EndsWith(".sql", StringComparison.Ordinal),
                    new SqlScriptOptions { RunGroupOrder = i + 1 });
            }
            var result = upgrade
                .WithTransactionPerScript()
                .LogTo(logger is null ? new NullLog() : new LoggerLog(logger))
                .Build()
                .PerformUpgrade();
            if (!result.Successful) throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", conn);
            unlock.Parameters.AddWithValue("k", MigrationLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    static List<Assembly> Folders(IEnumerable<Assembly> owners)
    {
        var all = owners.Prepend(typeof(DatabaseMigrator).Assembly).DistinctBy(a => a.GetName().Name).ToList();
        if (all.FirstOrDefault(a => !RunOrder.Contains(a.GetName().Name!)) is { } unknown)
            throw new ArgumentException($"{unknown.GetName().Name} has no place in DatabaseMigrator.RunOrder; add it there to run its migrations.", nameof(owners));
        return all.OrderBy(a => Array.IndexOf(RunOrder, a.GetName().Name)).ToList();
    }

    /// <summary>Under the migration lock, before DbUp reads the journal: only a journal that holds an old name is touched.</summary>
    static async Task RecordSplitScripts(NpgsqlConnection conn, ILogger? logger, CancellationToken ct)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schemaversions') IS NOT NULL", conn))
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!) return;
        await using var record = new NpgsqlCommand("""
            INSERT INTO schemaversions (scriptname, applied)
            SELECT s.new, now()::timestamp FROM unnest($1::text[], $2::text[]) AS s(old, new)
            WHERE EXISTS (SELECT 1 FROM schemaversions v WHERE v.scriptname = s.old)
              AND NOT EXISTS (SELECT 1 FROM schemaversions v WHERE v.scriptname = s.new)
            RETURNING scriptname
            """, conn);
        record.Parameters.Add(new NpgsqlParameter { Value = SplitScripts.Select(s => s.Old).ToArray() });
        record.Parameters.Add(new NpgsqlParameter { Value = SplitScripts.Select(s => s.New).ToArray() });
        await using var r = await record.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            logger?.LogInformation("Recorded {Script} as applied: the database ran its DDL under its name before the split", r.GetString(0));
    }

    sealed class NullLog : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) { }
        public void LogWarning(string format, params object[] args) { }
        public void LogError(string format, params object[] args) { }
        public void LogError(Exception ex, string format, params object[] args) { }
    }

    sealed class LoggerLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => logger.LogInformation("{Message}", string.Format(format, args));
        public void LogWarning(string format, params object[] args) => logger.LogWarning("{Message}", string.Format(format, args));
        public void LogError(string format, params object[] args) => logger.LogError("{Message}", string.Format(format, args));
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{Message}", string.Format(format, args));
    }
}
