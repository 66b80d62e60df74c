using AssetLedger.Infrastructure;
using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Support;

/// <summary>
/// A fresh, migrated database on the real PostgreSQL that scripts/test.sh starts (ASSETLEDGER_TEST_PG).
/// One per test class, so classes run in parallel without sharing state.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    string _name = "";

    /// <summary>The projects besides Infrastructure whose migrations make the whole schema.</summary>
    public static readonly System.Reflection.Assembly[] Owners = [typeof(Projections.ProjectionRunner).Assembly];

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ASSETLEDGER_TEST_PG")
        ?? throw new InvalidOperationException("ASSETLEDGER_TEST_PG is not set: run the tests through scripts/test.sh, which starts a PostgreSQL cluster for them.");

    public async Task InitializeAsync()
    {
        _name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {_name}", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = _name }.ConnectionString;
        await DatabaseMigrator.Migrate(ConnectionString, Owners);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>A separate pool, as a second API instance on the same database would have.</summary>
    public NpgsqlDataSource NewDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T> Scalar<T>(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
