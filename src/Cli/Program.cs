namespace AssetLedger.Cli;

/// <summary>The entry point (a named class, so that test projects referencing both the API and the CLI see one global Program).</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => CliApp.Create().Parse(args).InvokeAsync();
}
