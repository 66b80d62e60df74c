using System.CommandLine;
using AssetLedger.Infrastructure;
using AssetLedger.Projections;
using Spectre.Console;

namespace AssetLedger.Cli.Commands;

/// <summary>The database option every command shares, and the run wrapper that turns failures into one red line.</summary>
public static class Database
{
    public const string EnvironmentVariable = "ASSETLEDGER_DB";

    /// <summary>Recursive: given on a command group, it applies to every subcommand.</summary>
    public static Option<string?> ConnectionOption() => new("--connection", "-c")
    {
        Description = $"PostgreSQL connection string, e.g. \"Host=127.0.0.1;Port=5432;Username=postgres;Database=assetledger\" (default: ${EnvironmentVariable}).",
        Recursive = true,
    };

    /// <summary>Creates or upgrades the schema: Infrastructure's tables, then the read models' (the Cli hosts both).</summary>
    public static Task Migrate(string connectionString, CancellationToken ct) =>
        DatabaseMigrator.Migrate(connectionString, [typeof(ProjectionRunner).Assembly], null, ct);

    /// <summary>Resolves the connection string, runs <paramref name="action"/>, and reports a failure without a stack trace.</summary>
    public static async Task<int> Run(ParseResult parse, Option<string?> connection, Func<string, CancellationToken, Task<int>> action, CancellationToken ct)
    {
        var cs = parse.GetValue(connection) ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(cs))
        {
            AnsiConsole.MarkupLine($"[red]error:[/] no database: pass --connection or set {EnvironmentVariable}.");
            return ExitCodes.Usage;
        }
        try
        {
            return await action(cs, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or ArgumentException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.Failed;
        }
    }
}

public static class ExitCodes
{
    public const int Ok = 0, Failed = 1, Usage = 2, Cancelled = 130;

    /// <summary><c>verify</c>: every check holds, but the ledger key or the trust policy is not pinned or not met.</summary>
    public const int Unpinned = 3;
}
