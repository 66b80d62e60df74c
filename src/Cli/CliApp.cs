using System.CommandLine;
using AssetLedger.Cli.Commands;

namespace AssetLedger.Cli;

/// <summary>The command tree; one file per command group in Commands/. Public so tests can run a command in-process.</summary>
public static class CliApp
{
    public static RootCommand Create() => new("assetledger: the AssetLedger registry's command line.")
    {
        DevicesCommand.Create(),
        LedgerCommand.Create(),
        ProjectionsCommand.Create(),
        SeedCommand.Create(),
        VerifyCommand.Create(),
        WitnessCommand.Create(),
    };
}
