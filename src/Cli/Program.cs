using System.CommandLine;
using AssetLedger.Cli.Commands;

// One file per command group in Commands/; add a group here (verify, seed, export…).
var root = new RootCommand("assetledger: the AssetLedger registry's command line.")
{
    ProjectionsCommand.Create(),
    SeedCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
