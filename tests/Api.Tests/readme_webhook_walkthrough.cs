using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The README's webhook walk-through (issue 19), run verbatim after the main walk-through against the real service: the
/// bank's endpoint receives the walk-through's pledge as a signed CloudEvent and verifies it, and the WMS's signed
/// notice releases part of a receipt's goods.
/// </summary>
public sealed class readme_webhook_walkthrough
{
    [Fact]
    public async Task the_bank_hears_the_pledge_signed_and_the_wms_notice_releases_goods()
    {
        await using var api = new ApiServer { Settings = Webhooks.FastSettings() };
        await api.InitializeAsync();
        var work = Directory.CreateTempSubdirectory("readme-webhook-");
        try
        {
            var output = await readme_walkthrough.RunWithWitness(readme_walkthrough.ReadmeBlock() + readme_walkthrough.ReadmeBlock("webhook-walkthrough"),
                new Dictionary<string, string>
                {
                    ["API"] = new Uri(api.BaseAddress, "/api/v1").ToString(), ["OPERATOR_PASSWORD"] = ApiServer.OperatorPassword,
                    ["HOOK_PORT"] = TestWitness.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                }, TimeSpan.FromMinutes(4), work.FullName);
            Assert.DoesNotContain("\"status\":4", output);
            Assert.DoesNotContain("\"status\":5", output);

            Assert.Matches(@"(?m)^cn\.assetledger\.asset\.transferred-out [0-9a-f]{32} to bank-1 for Financing$", output);
            Assert.Contains("v1 signature verified", output);
            Assert.Contains("""{"status":"Active","version":4}""", output);
            Assert.Contains("""{"status":"Active","quantity":{"value":"500","unit":"bbl"}}""", output);
        }
        finally
        {
            await api.DisposeAsync();
            work.Delete(recursive: true);
        }
    }
}
