using AssetLedger.Infrastructure.Tests.Support;

namespace AssetLedger.Infrastructure.Tests.Migrations;

/// <summary>
/// Each table's owner creates it from its own Migrations/ folder. A fresh database gets the very schema the old single folder
/// made, and a database migrated by the old folder (its journal names Infrastructure's 0002, 0005, 0006 and 0010) upgrades without
/// running their DDL again.
/// </summary>
public sealed class migrating_with_one_folder_per_owner
{
    /// <summary>Tables, columns and indexes that migrations written after the move add; the frozen old scripts never made them.</summary>
    static readonly string[] AddedSinceTheMove = ["login_failures", "application_attempts", "events_user_created_participant", "column refresh_tokens.006 session ", "witness_cosignatures", "ledger_identity", "pending_since",
        "registrations", "parent_id", "split_into", "assets_parent", "participants_credit_code", "participants_name_lower", "encumbrances_open_financing", "device_reading_refusals", "webhook_", "notice_credentials",
        "events_device_bound_asset", "events_device_registered", "devices", "changed_position"];

    static IEnumerable<string> WithoutTablesAddedSinceTheMove(IEnumerable<string> schema) =>
        WithoutChangedSinceTheMove(schema.Where(line => !AddedSinceTheMove.Any(table => line.Contains(table, StringComparison.Ordinal))));

    /// <summary>Objects the old scripts made that a later migration replaced (0030: event_store_append reserves idempotency keys).</summary>
    static readonly string[] ChangedSinceTheMove = ["FUNCTION public.event_store_append("];

    static IEnumerable<string> WithoutChangedSinceTheMove(IEnumerable<string> schema) =>
        schema.Where(line => !ChangedSinceTheMove.Any(o => line.Contains(o, StringComparison.Ordinal)));

    [Fact]
    public async Task a_fresh_database_gets_the_schema_the_old_scripts_made()
    {
        await using var old = await EmptyDatabase.Create();
        await using var fresh = await EmptyDatabase.Create();
        old.MigrateWithTheOldLayout();

        await DatabaseMigrator.Migrate(fresh.ConnectionString, PostgresDatabase.Owners);

        var expected = await old.Schema();
        Assert.Contains(expected, l => l.StartsWith("column assets.", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.StartsWith("index assets_text_trgm ", StringComparison.Ordinal));
        Assert.Equal(string.Join('\n', WithoutChangedSinceTheMove(expected)), string.Join('\n', WithoutTablesAddedSinceTheMove(await fresh.Schema())));
    }

    [Fact]
    public async Task a_database_migrated_by_the_old_layout_upgrades_without_running_the_moved_scripts_again()
    {
        await using var db = await EmptyDatabase.Create();
        db.MigrateWithTheOldLayout();
        await db.Execute("INSERT INTO projection_checkpoints (name, position) VALUES ('assets', 42)");

        await DatabaseMigrator.Migrate(db.ConnectionString, PostgresDatabase.Owners);
        await DatabaseMigrator.Migrate(db.ConnectionString, PostgresDatabase.Owners);

        var journal = await db.Journal();
        Assert.Contains("AssetLedger.Infrastructure.Migrations.0002_read_models.sql", journal);
        Assert.Contains("AssetLedger.Projections.Migrations.0001_read_models.sql", journal);
        Assert.Contains("AssetLedger.Projections.Migrations.0002_trace.sql", journal);
        Assert.Contains("AssetLedger.Projections.Migrations.0003_participant_lifecycle.sql", journal);
        Assert.Contains("AssetLedger.Projections.Migrations.0004_asset_visibility.sql", journal);
        Assert.Equal(journal.Count, journal.Distinct().Count());
        Assert.Equal(42L, await db.Scalar<long>("SELECT position FROM projection_checkpoints WHERE name = 'assets'"));
        await using var fresh = await EmptyDatabase.Create();
        await DatabaseMigrator.Migrate(fresh.ConnectionString, PostgresDatabase.Owners);
        Assert.Equal(string.Join('\n', await fresh.Schema()), string.Join('\n', await db.Schema()));
    }

    [Fact]
    public async Task a_database_the_old_layout_left_part_way_runs_only_the_parts_it_lacks()
    {
        await using var db = await EmptyDatabase.Create();
        db.MigrateWithTheOldLayout(through: "0004");

        await DatabaseMigrator.Migrate(db.ConnectionString, PostgresDatabase.Owners);

        var journal = await db.Journal();
        Assert.Contains("AssetLedger.Projections.Migrations.0001_read_models.sql", journal);
        Assert.Contains("AssetLedger.Infrastructure.Migrations.0005_trace.sql", journal);
        Assert.Contains("AssetLedger.Projections.Migrations.0002_trace.sql", journal);
        await using var fresh = await EmptyDatabase.Create();
        await DatabaseMigrator.Migrate(fresh.ConnectionString, PostgresDatabase.Owners);
        Assert.Equal(string.Join('\n', await fresh.Schema()), string.Join('\n', await db.Schema()));
    }

    [Fact]
    public async Task the_read_models_tables_come_from_the_projections_folder()
    {
        await using var db = await EmptyDatabase.Create();

        await DatabaseMigrator.Migrate(db.ConnectionString, PostgresDatabase.Owners);

        var journal = await db.Journal();
        Assert.DoesNotContain(journal, n => n.EndsWith("0002_read_models.sql", StringComparison.Ordinal));
        Assert.True(journal.FindLastIndex(n => n.StartsWith("AssetLedger.Infrastructure.", StringComparison.Ordinal))
            < journal.FindIndex(n => n.StartsWith("AssetLedger.Projections.", StringComparison.Ordinal)), string.Join(", ", journal));
    }
}
