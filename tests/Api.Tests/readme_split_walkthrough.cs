using System.Text.RegularExpressions;
using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The README's split and part-delivery walk-through, run verbatim after the main walk-through against the real service:
/// a receipt split into three exact parts, part of one part delivered, and the links shown by the asset and the trace.
/// </summary>
public sealed class readme_split_walkthrough
{
    [Fact]
    public async Task the_split_walkthrough_splits_a_receipt_delivers_part_of_a_part_and_shows_the_links()
    {
        await using var api = new ApiServer();
        await api.InitializeAsync();
        var work = Directory.CreateTempSubdirectory("readme-split-");
        try
        {
            var output = await readme_walkthrough.RunWithWitness(readme_walkthrough.ReadmeBlock() + readme_walkthrough.ReadmeBlock("split-walkthrough"),
                new Dictionary<string, string>
                {
                    ["API"] = new Uri(api.BaseAddress, "/api/v1").ToString(), ["OPERATOR_PASSWORD"] = ApiServer.OperatorPassword,
                }, TimeSpan.FromMinutes(4), work.FullName);
            Assert.DoesNotContain("\"status\":4", output);
            Assert.DoesNotContain("\"status\":5", output);

            Assert.Contains("""{"status":"Active","version":2}""", output);
            var parent = Regex.Match(output, @"^\{""status"":""Split"",""splitInto"":\[""([0-9a-f]{32})"",""[0-9a-f]{32}"",""[0-9a-f]{32}""\]\}$", RegexOptions.Multiline);
            Assert.True(parent.Success, output);
            var lot = Regex.Match(output, @"^part of ([0-9a-f]{32})$", RegexOptions.Multiline).Groups[1].Value;
            Assert.Equal("Split", (await api.Get($"/api/v1/assets/{lot}", "owner-a")).Json["status"]!.GetValue<string>());
            Assert.Matches($@"(?m)^Split off from asset {lot} .*WR-2026-0002-1.*: 500 bbl of crude oil", output);
            Assert.Matches(@"(?m)^120 bbl released against delivery order DO-7731 .*; 380 bbl remain$", output);
        }
        finally
        {
            await api.DisposeAsync();
            work.Delete(recursive: true);
        }
    }
}
