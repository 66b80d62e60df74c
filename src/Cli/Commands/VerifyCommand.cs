using System.CommandLine;
using System.Text.Json;
using AssetLedger.Infrastructure.Evidence;
using Spectre.Console;

namespace AssetLedger.Cli.Commands;

/// <summary>
/// <c>assetledger verify &lt;bundle.zip&gt;</c>: checks an evidence bundle offline, with no database and no network
/// (<see cref="BundleVerifier"/>), prints one pass/fail line per check and, for a failure, what failed and where.
/// Exit code 0 only if every check holds; 1 if one does not; 2 if the bundle cannot be read.
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var bundle = new Argument<FileInfo>("bundle") { Description = "The evidence bundle: a ZIP from GET /api/v1/evidence/assets/{id} or /api/v1/evidence/ledger." };
        var ledgerKey = new Option<string?>("--ledger-key")
        {
            Description = "The ledger's verifier key as published (GET /api/v1/ledger/keys → ledgerVerifierKey); the bundle must carry exactly this key.",
        };
        var anchorKey = new Option<string?>("--anchor-key") { Description = "The local anchor's verifier key as published (anchorVerifierKey)." };
        var json = new Option<bool>("--json") { Description = "Print the checks as JSON instead of lines." };
        var command = new Command("verify", "Check an evidence bundle offline: file hashes, the manifest's signature, event hashes, stream chains, " +
            "inclusion and consistency proofs, checkpoint signatures, anchor receipts, signed commands, and the replay of each asset.")
        {
            bundle, ledgerKey, anchorKey, json,
        };
        command.SetAction((parse, _) =>
        {
            // Redirected to a file or a pipe, hashes and paths stay on one line each.
            if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 4096;
            return Task.FromResult(Run(parse.GetValue(bundle)!.FullName,
                new VerifierOptions(parse.GetValue(ledgerKey), parse.GetValue(anchorKey)), parse.GetValue(json), AnsiConsole.Console));
        });
        return command;
    }

    public static int Run(string path, VerifierOptions options, bool asJson, IAnsiConsole console)
    {
        if (!File.Exists(path))
        {
            console.MarkupLineInterpolated($"[red]error:[/] no file {path}");
            return ExitCodes.Usage;
        }
        var report = BundleVerifier.Verify(path, options);
        if (asJson)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new { bundle = path, report.Subject, report.Ok, report.Checks }, JsonSerializerOptions.Web));
            return report.Ok ? ExitCodes.Ok : report.Checks is [{ Name: "bundle" }] ? ExitCodes.Usage : ExitCodes.Failed;
        }
        console.MarkupLineInterpolated($"Evidence bundle [bold]{Path.GetFileName(path)}[/]: {report.Subject}");
        foreach (var check in report.Checks)
        {
            console.MarkupLine($"{(check.Passed ? "[green]PASS[/]" : "[red]FAIL[/]")} {Markup.Escape(check.Name)}: {Markup.Escape(check.Summary)}");
            foreach (var failure in check.Failures) console.MarkupLineInterpolated($"     [red]✘[/] {failure}");
        }
        if (report.Ok)
        {
            console.MarkupLineInterpolated($"[green bold]VERIFIED[/]: all {report.Checks.Count} checks hold.");
            return ExitCodes.Ok;
        }
        var failed = report.Failed.Select(c => c.Name).ToList();
        console.MarkupLineInterpolated($"[red bold]NOT VERIFIED[/]: {failed.Count} of {report.Checks.Count} checks failed ({string.Join(", ", failed)}).");
        return report.Checks is [{ Name: "bundle" }] ? ExitCodes.Usage : ExitCodes.Failed;
    }
}
