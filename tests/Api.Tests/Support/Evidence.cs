using System.Net;
using AssetLedger.Ledger.Evidence;

namespace AssetLedger.Api.Tests.Support;

/// <summary>Evidence bundles exported over the API and checked with the offline verifier.</summary>
public static class Evidence
{
    /// <summary>The asset's bundle as the participant exports it; the server waits (up to 20 s here) for the anchor.</summary>
    public static async Task<byte[]> Bundle(ApiServer api, string assetId, string participant = "reg-1")
    {
        var d = await api.Download($"/api/v1/evidence/assets/{assetId}?wait=20", participant);
        Assert.True(d.Status == HttpStatusCode.OK, d.ToString());
        Assert.Equal("application/zip", d.ContentType);
        return d.Bytes;
    }

    public static VerificationReport Verify(byte[] zip, VerifierOptions? options = null) => BundleVerifier.Verify(new MemoryStream(zip), options);

    public static Dictionary<string, byte[]> Files(byte[] zip) => BundleVerifier.ReadZip(new MemoryStream(zip));

    public static string Describe(VerificationReport r) =>
        string.Join("\n", r.Checks.Select(c => $"{(c.Passed ? "PASS" : "FAIL")} {c.Name}: {c.Summary}" + string.Concat(c.Failures.Select(f => "\n    " + f))));

    public static IReadOnlyList<string> FailedChecks(VerificationReport r) => r.Failed.Select(c => c.Name).Order().ToList();

    public static string Failures(VerificationReport r, string check) => string.Join("\n", r.Checks.Single(c => c.Name == check).Failures);
}
