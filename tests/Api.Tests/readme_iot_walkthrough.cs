using System.Text.RegularExpressions;
using AssetLedger.Api.Tests.Support;

namespace AssetLedger.Api.Tests;

/// <summary>
/// The README's IoT walk-through (issue 18), run verbatim after the main walk-through against the real service: a
/// simulated weighbridge watching a pledged receipt weighs short, the operator's rule freezes the receipt, the warehouse
/// and the bank clear the freeze, and the receipt's evidence bundle carries the signed readings and verifies offline.
/// </summary>
public sealed class readme_iot_walkthrough
{
    [Fact]
    public async Task a_short_weight_freezes_the_pledged_receipt_until_cleared_and_its_readings_verify_offline()
    {
        await using var api = new ApiServer();
        await api.InitializeAsync();
        var work = Directory.CreateTempSubdirectory("readme-iot-");
        try
        {
            var output = await readme_walkthrough.RunWithWitness(readme_walkthrough.ReadmeBlock() + readme_walkthrough.ReadmeBlock("iot-walkthrough"),
                new Dictionary<string, string> { ["API"] = new Uri(api.BaseAddress, "/api/v1").ToString(), ["OPERATOR_PASSWORD"] = ApiServer.OperatorPassword },
                TimeSpan.FromMinutes(4), work.FullName);
            Assert.DoesNotContain("\"status\":5", output);

            var receipt = Regex.Match(output, @"(?m)^receipt ([0-9a-f]{32})$").Groups[1].Value;
            Assert.NotEmpty(receipt);
            // Frozen by the alarm: the bank cannot hand the receipt back until the warehouse and the bank clear it.
            Assert.Contains("""{"status":"Active","freezes":["IotAlarm"]}""", output);
            Assert.Contains("\"code\":\"asset.frozen\"", output);
            Assert.Contains("\"condition\":\"QuantityDeviation\",\"severity\":\"Critical\"", output);
            Assert.Contains("""{"status":"Active","freezes":[]}""", output);
            Assert.Equal(1, await api.Scalar($"SELECT count(*) FROM events WHERE stream_id = 'asset-{receipt}' AND type = 'asset-iot-alarm-cleared'"));

            // The receipt's bundle carries the weighbridge's signed readings, each checked against its key, and verifies.
            Assert.Matches(@"(?m)^PASS device readings: 8 readings of 1 devices signed", output);
            Assert.Matches(@"(?m)^VERIFIED: all \d+ checks hold\.$", output);
        }
        finally
        {
            await api.DisposeAsync();
            work.Delete(recursive: true);
        }
    }
}
