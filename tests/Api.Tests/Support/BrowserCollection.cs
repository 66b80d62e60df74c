namespace AssetLedger.Api.Tests.Support;

/// <summary>
/// The browser tests run alone, after the others: a Chromium, its pages and the API together on two cores already busy with
/// the other test classes made their form posts miss Playwright's waits now and then (two full runs in a row on 2026-12-06).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}
