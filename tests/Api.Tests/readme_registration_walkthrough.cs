using System.Text.RegularExpressions;
using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>The README's registration walk-through (a security interest, its extension, a search and its certificate), run verbatim.</summary>
public sealed class readme_registration_walkthrough(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task a_bank_registers_extends_searches_and_verifies_the_certificate_offline()
    {
        var work = Directory.CreateTempSubdirectory("readme-registration-");
        string output;
        try
        {
            output = await readme_walkthrough.RunBash(readme_walkthrough.ReadmeBlock("registration-walkthrough"), new Dictionary<string, string>
            {
                ["API"] = new Uri(api.BaseAddress, "/api/v1").ToString(), ["OPERATOR_PASSWORD"] = ApiServer.OperatorPassword,
                ["ASSETLEDGER"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "assetledger.dll")}",
            }, TimeSpan.FromMinutes(3), work.FullName);
        }
        finally { work.Delete(recursive: true); }

        var number = Regex.Match(output, @"^registration (RG-\d{8}-\d{8}) until ", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEmpty(number);
        Assert.Matches(@"(?m)^extended until ", output);
        Assert.Matches($@"(?m)^registration {number} by bank-r, expires ", output);
        Assert.Matches(@"(?m)^pledge of receipt:wh-r:WR-2026-0101 at bank-r$", output);
        Assert.Matches(@"(?m)^PASS search answer: 1 registration and 1 pledge answered for ", output);
        Assert.Matches(@"(?m)^VERIFIED: all \d+ checks hold\.$", output);
    }
}
