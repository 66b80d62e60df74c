using System.CommandLine;
using AssetLedger.Infrastructure.Ledger;
using Npgsql;
using Spectre.Console;

namespace AssetLedger.Cli.Commands;

/// <summary>
/// <c>assetledger ledger rollback-status|acknowledge-loss</c>: after a restore from a backup older than a checkpoint an
/// anchor holds, the API refuses writes; this names the missing checkpoint and, once an operator accepts the loss,
/// lowers the published mark (kept beside the keys, outside the database) to the database's newest checkpoint.
/// </summary>
public static class LedgerCommand
{
    public static Command Create()
    {
        var connection = Database.ConnectionOption();
        var keys = new Option<string>("--keys")
        {
            Description = $"The API's key directory, where {PublishedMark.FileName} lives (default .data/keys).",
            DefaultValueFactory = _ => Path.Combine(".data", "keys"),
            Recursive = true,
        };

        var status = new Command("rollback-status", "Say whether the database lacks a checkpoint an anchor holds (exit 1 when it does).");
        status.SetAction((parse, ct) => Database.Run(parse, connection, (cs, c) => Status(cs, MarkFile(parse.GetValue(keys)!), c), ct));

        var acknowledge = new Command("acknowledge-loss", "Accept that the checkpoints after the database's newest are lost, logging it, so the API serves writes again.");
        acknowledge.SetAction((parse, ct) => Database.Run(parse, connection, (cs, c) => Acknowledge(cs, MarkFile(parse.GetValue(keys)!), c), ct));

        return new Command("ledger", "The verifiable log's state as third parties hold it.") { connection, keys, status, acknowledge };
    }

    static string MarkFile(string keys) => Path.Combine(keys, PublishedMark.FileName);

    static async Task<int> Status(string connectionString, string markFile, CancellationToken ct)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        if (await RollbackGuard.Check(db, markFile, ct) is not { } missing)
        {
            AnsiConsole.MarkupLine("[green]ok:[/] the database holds every checkpoint an anchor holds.");
            return ExitCodes.Ok;
        }
        AnsiConsole.MarkupLineInterpolated($"[red]rolled back:[/] the database lacks checkpoint {missing.TreeSize} ({missing.CheckpointHash}), held by {missing.HeldBy} since {missing.PublishedAt:u}.");
        return ExitCodes.Failed;
    }

    static async Task<int> Acknowledge(string connectionString, string markFile, CancellationToken ct)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        if (await RollbackGuard.Check(db, markFile, ct) is not { } missing)
        {
            AnsiConsole.MarkupLine("Nothing to acknowledge: the database holds every checkpoint an anchor holds.");
            return ExitCodes.Ok;
        }
        var kept = await RollbackGuard.Newest(db, ct);
        PublishedMark.Lower(markFile, await RollbackGuard.Identity(db, ct), missing, kept, DateTimeOffset.UtcNow);
        AnsiConsole.MarkupLineInterpolated($"Acknowledged the loss of checkpoint {missing.TreeSize} ({missing.CheckpointHash}, held by {missing.HeldBy}); the database's newest is {kept?.TreeSize ?? 0}. Logged in {PublishedMark.LossLogName}.");
        return ExitCodes.Ok;
    }
}
