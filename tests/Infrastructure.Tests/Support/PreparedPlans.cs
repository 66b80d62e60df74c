using Npgsql;

namespace AssetLedger.Infrastructure.Tests.Support;

/// <summary>
/// How PostgreSQL planned a connection's prepared statements (issue 21): a data source of one connection with the service's
/// settings (<see cref="DatabaseConnections"/>, which auto-prepare), so every call a test makes runs on it, and
/// <c>pg_prepared_statements</c>' counts of generic and custom plans read there.
/// </summary>
public static class PreparedPlans
{
    public static NpgsqlDataSource OneConnection(string connectionString) =>
        DatabaseConnections.Create(new NpgsqlConnectionStringBuilder(connectionString) { MinPoolSize = 0, MaxPoolSize = 1 }.ConnectionString);

    /// <summary>The connection's prepared statements whose text is LIKE <paramref name="pattern"/>, with their plan counts.</summary>
    public static async Task<List<(string Statement, long Generic, long Custom)>> Of(NpgsqlDataSource one, string pattern)
    {
        await using var cmd = one.CreateCommand("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = pattern });
        var plans = new List<(string, long, long)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) plans.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        return plans;
    }
}
