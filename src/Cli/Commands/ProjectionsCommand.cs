using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using AssetLedger.Infrastructure;
using AssetLedger.Infrastructure.EventStore;
using AssetLedger.Projections;
using Npgsql;
using Spectre.Console;

namespace AssetLedger.Cli.Commands;

/// <summary><c>assetledger projections rebuild|status</c>: the read models in PostgreSQL.</summary>
public static class ProjectionsCommand
{
    public static Command Create()
    {
        var connection = Database.ConnectionOption();

        var rebuild = new Command("rebuild", "Migrate the database, empty the read models and replay the whole event log into them.");
        rebuild.SetAction((parse, ct) => Database.Run(parse, connection, Rebuild, ct));

        var json = new Option<bool>("--json") { Description = "Print the status as JSON." };
        var status = new Command("status", "Show each projection's checkpoint, the log's head and the lag.") { json };
        status.SetAction((parse, ct) => Database.Run(parse, connection, (cs, c) => Status(cs, parse.GetValue(json), c), ct));

        return new Command("projections", "Read models fed from the event log.") { connection, rebuild, status };
    }

    static async Task<int> Rebuild(string connectionString, CancellationToken ct)
    {
        await Database.Migrate(connectionString, ct);
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var store = new PostgresEventStore(db);
        var runner = new ProjectionRunner(db, store);
        var clock = Stopwatch.StartNew();

        var applied = await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("Replaying the event log", maxValue: 1);
                var progress = new Reporter(p =>
                {
                    task.MaxValue = Math.Max(1, p.Head);
                    task.Value = p.Checkpoint;
                    task.Description = $"Replaying the event log: {p.Checkpoint:N0} of {p.Head:N0}";
                });
                var n = await runner.Rebuild(progress, ct);
                task.Value = task.MaxValue;
                return n;
            });

        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        AnsiConsole.MarkupLineInterpolated($"Rebuilt the read models from [green]{applied:N0}[/] events in {seconds:F1} s ({applied / seconds:N0} events/s).");
        return ExitCodes.Ok;
    }

    static async Task<int> Status(string connectionString, bool asJson, CancellationToken ct)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var store = new PostgresEventStore(db);
        var status = await new ProjectionRunner(db, store).Status(ct);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(status, JsonSerializerOptions.Web));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("projection", "checkpoint", "lag", "updated (UTC)");
        foreach (var p in status.Projections)
            table.AddRow(p.Name, $"{p.Position:N0}", $"{status.Head - p.Position:N0}", p.UpdatedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") ?? "never");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"log head [bold]{status.Head:N0}[/], read models at {status.Checkpoint:N0}, lag [{(status.Lag == 0 ? "green" : "yellow")}]{status.Lag:N0}[/]");
        return ExitCodes.Ok;
    }

    /// <summary>Reports on the caller's thread, unlike Progress&lt;T&gt;, so the bar never moves backwards.</summary>
    sealed class Reporter(Action<ProjectionProgress> report) : IProgress<ProjectionProgress>
    {
        public void Report(ProjectionProgress value) => report(value);
    }
}
